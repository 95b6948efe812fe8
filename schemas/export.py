"""Write the JSON Schema of ``ArticleExtraction`` next to the models (``python -m schemas.export``)."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.records import ArticleExtraction

SCHEMA_PATH = Path(__file__).with_name("article_extraction.schema.json")


def json_schema() -> dict[str, object]:
    """Return the JSON Schema of what batch runs write, one file per article."""
    return ArticleExtraction.model_json_schema(mode="serialization")


def main() -> None:
    """Write the schema file; CI checks it is up to date."""
    SCHEMA_PATH.write_text(
        json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(SCHEMA_PATH)


if __name__ == "__main__":
    main()
