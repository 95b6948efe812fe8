"""Input files, output names, atomic writes and the failures record of a run."""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from extractor.errors import ConfigError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
FAILURES = "failures.jsonl"


# -- inputs ---------------------------------------------------------------------------------
def collect_inputs(specs: Sequence[str | Path]) -> list[Path]:
    """Expand files, folders (recursively: .txt, .md, .html) and globs into a list of files.

    A path that does not exist is kept, so it is recorded as a failure rather than forgotten.

    Raises:
        ConfigError: Nothing at all was given or found.
    """
    found: list[Path] = []
    for spec in specs:
        text = str(spec)
        p = Path(text)
        if p.is_dir():
            found.extend(
                f
                for f in sorted(p.rglob("*"))
                if f.is_file()
                and f.suffix.lower() in TEXT_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif glob.has_magic(text):
            found.extend(
                Path(m) for m in sorted(glob.glob(text, recursive=True)) if Path(m).is_file()
            )
        else:
            found.append(p)
    unique: dict[str, Path] = {}
    for f in found:
        unique.setdefault(os.path.abspath(f), f)
    if not unique:
        raise ConfigError(
            f"no input files in {', '.join(map(str, specs)) or 'the arguments'}",
            hint="give article files, folders of .txt/.html files, or quoted globs like 'in/*.txt'",
        )
    return list(unique.values())


def output_names(paths: Sequence[Path]) -> dict[Path, str]:
    """Output file name per input: ``<stem>.json``, with a path hash when two stems collide."""
    stems: dict[str, int] = {}
    for p in paths:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    names = {}
    for p in paths:
        if stems[p.stem] > 1:
            tag = hashlib.sha1(os.path.abspath(p).encode("utf-8")).hexdigest()[:8]
            names[p] = f"{p.stem}-{tag}.json"
        else:
            names[p] = f"{p.stem}.json"
    return names


# -- atomic files ---------------------------------------------------------------------------
def write_atomic(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
    """Write a file so that it is either wholly old or wholly new, even after a crash.

    With ``sync_dir=False`` the rename is made durable later by the caller's ``fsync_dir``: after
    a power cut the file may then be missing (and is redone on the re-run), never half-written.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    if sync_dir:
        fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make the renames done in a directory durable (best effort where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class FailureLog:
    """``failures.jsonl``: one JSON line per input that did not produce an output."""

    def __init__(self, path: Path, retrying: Iterable[Path]) -> None:
        """Keep earlier failures of inputs not in this run; this run's inputs start clean."""
        self.path = path
        again = {os.path.abspath(p) for p in retrying}
        kept: list[str] = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a crash mid-append
                if os.path.abspath(str(entry.get("path"))) not in again:
                    kept.append(json.dumps(entry, ensure_ascii=False))
        write_atomic(path, "".join(f"{line}\n" for line in kept).encode("utf-8"))

    def add(self, path: Path, stage: str, error: str, hint: str) -> None:
        """Append one failure and fsync it."""
        line = json.dumps(
            {"path": str(path), "stage": stage, "error": error, "hint": hint}, ensure_ascii=False
        )
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
