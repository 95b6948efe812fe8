"""The command line: ``extractor <command>`` (or ``python -m extractor <command>``).

Each command is a thin function over the library; its docstring is its ``--help`` text.
User mistakes and expected failures print one clean line (what failed, how to fix it) and exit
with status 2; ``extract`` exits 1 when any article failed (see ``OUT/failures.jsonl``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from extractor.errors import ConfigError, ExtractorError
from extractor.store import TABLES
from schemas.records import ArticleExtraction

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract verified records from article files, folders or globs into OUT/<stem>.json.

    Each input ends as OUT/<stem>.json or as a line of OUT/failures.jsonl (path, stage, error,
    hint). A re-run skips articles already done with the same text, backend, model, prompt and
    schema version, and retries the rest; identical LLM requests are answered from the cache in
    the database. Exit status is 1 when any article failed.

    --batch-api sends the LLM requests through the OpenAI Batch API (half price, results
    within 24 h; a killed run started again polls its batches instead of sending them twice);
    --engine ray runs the offline backend in Ray actors (RAY_ADDRESS, else a local Ray);
    --max-cost stops sending new LLM requests once spent plus in-flight cost would pass it.

    Example:
      extractor extract seeds/ --out out --concurrency 16 --rpm 500
      extractor extract 'news/**/*.html' --backend offline --out out
      extractor extract archive/ --out out --batch-api --max-cost 20
      extractor extract archive/ --out out --backend offline --engine ray
    """
    from rich.console import Console

    from extractor.config import Settings
    from extractor.engines.local import run_batch
    from extractor.engines.summary import summary_table

    overrides: dict[str, object] = {}
    if args.backend:
        overrides["backend"] = args.backend
    if args.model:
        overrides["model"] = args.model
    if args.concurrency is not None:
        overrides["concurrency"] = args.concurrency
    if args.rpm is not None:
        overrides["requests_per_minute"] = args.rpm
    if args.no_cache:
        overrides["cache"] = False
    if args.max_chunk_chars is not None:
        overrides["max_chunk_chars"] = args.max_chunk_chars
    if args.max_cost is not None:
        overrides["max_cost"] = args.max_cost
    out = Path(args.out)
    settings = Settings.from_env().with_(**overrides)
    if args.db:
        settings = settings.with_(store_path=Path(args.db))
    console = Console(stderr=True)
    engine = "batch-api" if args.batch_api else args.engine
    if args.batch_api and args.engine != "local":
        raise ConfigError(
            "--batch-api is an engine of its own", hint="drop --engine, or drop --batch-api"
        )
    summary = run_batch(
        args.inputs,
        out,
        settings,
        force=args.force,
        console=console,
        progress=not args.quiet,
        engine=engine,
    )
    if not args.quiet:
        console.print(summary_table(summary))
    if summary.failed or summary.capped:
        console.print(
            f"[red]{summary.failed + summary.capped} of {summary.total} articles not done[/] "
            f"({summary.capped} at the cost cap); see {out / 'failures.jsonl'}"
        )
        return EXIT_FAILED
    return EXIT_OK


def _checked_only(ex: ArticleExtraction) -> ArticleExtraction:
    """An extraction with only the records whose every field the article supports."""
    kept = ex.checked_records()
    return ex.model_copy(
        update={k: getattr(kept, k) for k in ("meetings", "agreements", "metrics", "projects")}
    )


def cmd_batches(args: argparse.Namespace) -> int:
    """List the Batch API jobs in the store: batch and file ids, state, request counts, cost.

    The state is the one last polled; `extractor extract ... --batch-api` polls and reads them.

    Example:
      extractor batches --db out/extractor.db
    """
    from extractor.store import Store

    db_path = _db_path(args.db)
    with Store(db_path) as store:
        jobs = store.batches.jobs()
    row = "{:>4}  {:<24} {:<24} {:<11} {:>8} {:>8} {:>7} {:>8} {:>10}"
    print(
        row.format(
            "job", "batch", "input file", "state", "requests", "done", "failed", "MB", "cost"
        )
    )
    for j in jobs:
        print(
            row.format(
                j.id,
                j.batch_id or "-",
                j.file_id or "-",
                j.status,
                j.requests,
                j.completed,
                j.failed,
                f"{j.bytes / 1e6:.2f}",
                f"${j.cost:.4f}",
            )
        )
    if not jobs:
        print("no Batch API jobs yet; run `extractor extract ... --batch-api`", file=sys.stderr)
    return EXIT_OK


def _db_path(given: str | None) -> Path:
    from extractor.config import Settings

    db_path = Path(given) if given else Settings.from_env().store_path or Path("out/extractor.db")
    if not db_path.exists():
        raise ConfigError(
            f"no database at {db_path}",
            hint="run `extractor extract ... --out DIR` first, or pass --db PATH",
        )
    return db_path


def cmd_check_endpoint(args: argparse.Namespace) -> int:
    """Find out which structured-output modes the configured LLM server supports.

    For a server that is not OpenAI, three tiny requests (at most 16 tokens each) try a JSON
    schema, a named tool_choice and json_object; /props, /slots and /v1/models tell the context
    size where the server says it. For api.openai.com its documented capabilities are shown and
    nothing is sent. Exit status is 2 when the configured EXTRACTOR_MODE does not work there.

    Example:
        OPENAI_BASE_URL=http://127.0.0.1:8080/v1 extractor check-endpoint
    """
    from extractor.backends.llm.capabilities import EndpointUnusable, summary_lines, verdict
    from extractor.backends.openai import OpenAIBackend
    from extractor.config import Settings

    overrides: dict[str, object] = {"backend": "openai"}
    if args.model:
        overrides["model"] = args.model
    if args.mode:
        overrides["mode"] = args.mode
    settings = Settings.from_env(None, **overrides)
    backend = OpenAIBackend(settings)
    try:
        caps = backend.capabilities()
    except EndpointUnusable as exc:
        raise ConfigError(str(exc), hint=exc.hint) from exc
    if args.json:
        mode, line = verdict(caps, settings.mode)
        data = {
            "base_url": caps.base_url,
            "source": caps.source,
            "modes": caps.modes,
            "notes": caps.notes,
            "context_tokens": caps.context_tokens,
            "configured_mode": settings.mode,
            "mode": mode,
            "verdict": line,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(caps, settings.mode)))
    return EXIT_OK if verdict(caps, settings.mode)[0] else EXIT_USAGE


def cmd_export(args: argparse.Namespace) -> int:
    """Write the stored records out as JSON lines or CSV.

    jsonl writes one article extraction per line (``--table articles``, the default) or one row
    per line of another table; csv writes one table. Tables: articles, meetings, participants,
    agreements, metrics, projects, evidence, checks (every field check), call_log.

    Example:
      extractor export --format jsonl > articles.jsonl
      extractor export --format jsonl --checked > facts.jsonl
      extractor export --format csv --table metrics --output metrics.csv --db out/extractor.db
    """
    from extractor.config import Settings
    from extractor.store import Store

    db_path = Path(args.db) if args.db else Settings.from_env().database(Path("out"))
    if not db_path.exists():
        raise ConfigError(
            f"no database at {db_path}",
            hint="run `extractor extract ... --out DIR` first, or pass --db PATH",
        )
    with Store(db_path) as store:
        if args.format == "jsonl" and args.table == "articles":
            lines = (
                (_checked_only(ex) if args.checked else ex).model_dump_json()
                for ex in store.extractions.all()
            )
            text = "".join(f"{line}\n" for line in lines)
        else:
            names, rows = store.rows(args.table)
            if args.format == "jsonl":
                text = "".join(
                    json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"
                    for row in rows
                )
            else:
                buf = io.StringIO()
                writer = csv.writer(buf)
                writer.writerow(names)
                writer.writerows(rows)
                text = buf.getvalue()
    _emit(text, args.output)
    return EXIT_OK


def cmd_consolidate(args: argparse.Namespace) -> int:
    """Merge the per-article outputs of OUT into one record per real event, person and project.

    Writes OUT/consolidated.json (or --output) with canonical persons, meetings, agreements,
    projects, metric timelines and conflicts between sources, and the same records into the
    store's consolidated_* tables (--db, else EXTRACTOR_DB, else OUT/extractor.db), beside the
    per-article ones.

    Example:
      extractor consolidate out
      extractor consolidate out --output review/consolidated.json
    """
    from extractor.consolidate import merge

    out_dir = _existing_dir(args.out_dir)
    result = merge.consolidate_dir(out_dir)
    target = Path(args.output) if args.output else out_dir / "consolidated.json"
    from extractor.engines.local import write_atomic

    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, result.model_dump_json(indent=2).encode("utf-8"))
    from extractor.config import Settings
    from extractor.store import Store

    db = Path(args.db) if args.db else Settings.from_env().database(out_dir)
    with Store(db) as store:
        written = store.consolidated.save(merge.to_rows(result))
    print(f"wrote {target} and {sum(written.values())} rows into {db}", file=sys.stderr)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Build the self-contained HTML review page from the outputs in OUT.

    Example:
      extractor report out
      extractor report out --html out/report.html
    """
    from extractor.consolidate import report

    out_dir = _existing_dir(args.out_dir)
    html = Path(args.html) if args.html else out_dir / "report.html"
    report.build_report(out_dir, html)
    print(f"wrote {html}", file=sys.stderr)
    return EXIT_OK


# -- helpers --------------------------------------------------------------------------------
def _existing_dir(path: str) -> Path:
    p = Path(path)
    if not p.is_dir():
        raise ConfigError(
            f"no output folder {p}", hint="run `extractor extract INPUTS --out DIR` first"
        )
    return p


def _emit(text: str, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    from extractor.engines.local import write_atomic

    target = Path(str(output))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode("utf-8"))
    print(f"wrote {target}", file=sys.stderr)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _add(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    fn: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    doc = (fn.__doc__ or "").strip()
    summary = doc.splitlines()[0]
    body = "\n".join(line[4:] if line.startswith("    ") else line for line in doc.splitlines())
    parser = sub.add_parser(name, help=summary, description=body, formatter_class=_Formatter)
    parser.set_defaults(func=fn)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="extractor",
        description="Verified, structured records from Russian news on Central Asian "
        "diplomacy and trade.",
        epilog="Run `extractor COMMAND --help` for a command's options and an example.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _add(sub, "extract", cmd_extract)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or quoted globs")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    p.add_argument("--db", help="SQLite database (default: OUT/extractor.db, or EXTRACTOR_DB)")
    p.add_argument("--concurrency", type=_positive_int, help="articles in flight (default 8)")
    p.add_argument("--rpm", type=_positive_float, help="cap on LLM requests per minute")
    p.add_argument("--backend", choices=["auto", "openai", "offline"], help="default: auto")
    p.add_argument("--model", help="LLM model name (default: EXTRACTOR_MODEL or gpt-4o-mini)")
    p.add_argument("--max-chunk-chars", type=_positive_int, help="split longer articles")
    p.add_argument("--no-cache", action="store_true", help="do not answer from the response cache")
    p.add_argument("--force", action="store_true", help="re-extract articles already done")
    p.add_argument(
        "--batch-api", action="store_true", help="send LLM requests through the OpenAI Batch API"
    )
    p.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="local (default) or ray (RAY_ADDRESS, else a local Ray; needs "
        "pip install 'ca-extractor[ray]')",
    )
    p.add_argument(
        "--max-cost",
        type=_non_negative_float,
        metavar="USD",
        help="stop sending LLM requests past this spend (EXTRACTOR_MAX_COST)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")

    p = _add(sub, "export", cmd_export)
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    p.add_argument(
        "--table",
        default="articles",
        choices=[t for t in TABLES if t != "response_cache"],
    )
    p.add_argument("--db", help="default: EXTRACTOR_DB, else out/extractor.db")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.add_argument(
        "--checked",
        action="store_true",
        help="articles: keep only records the article supports (every field check supported "
        "or inferred, every figure verified)",
    )

    p = _add(sub, "batches", cmd_batches)
    p.add_argument("--db", help="default: EXTRACTOR_DB, else out/extractor.db")

    p = _add(sub, "consolidate", cmd_consolidate)
    p.add_argument("out_dir", nargs="?", default="out", metavar="OUT", help="default: out")
    p.add_argument("-o", "--output", help="default: OUT/consolidated.json")
    p.add_argument(
        "--db",
        help="SQLite store for the consolidated tables (default: EXTRACTOR_DB, else OUT/extractor.db)",
    )

    p = _add(sub, "check-endpoint", cmd_check_endpoint)
    p.add_argument("--model", help="model name (default: EXTRACTOR_MODEL)")
    p.add_argument(
        "--mode",
        choices=["auto", "tools", "tools_strict", "json_schema", "json_object", "md_json"],
        help="the mode to check (default: EXTRACTOR_MODE, else auto)",
    )
    p.add_argument("--json", action="store_true", help="print the findings as JSON")

    p = _add(sub, "report", cmd_report)
    p.add_argument("out_dir", nargs="?", default="out", metavar="OUT", help="default: out")
    p.add_argument("--html", help="default: OUT/report.html")
    return parser


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw} must be at least 1")
    return value


def _positive_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{raw} must be above 0")
    return value


def _non_negative_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{raw} must not be negative")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; return the exit status (0 ok, 1 some articles failed, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        status: int = args.func(args)
        return status
    except ExtractorError as exc:
        print(f"extractor {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(
            "interrupted; finished articles are kept, re-run the same command to finish",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
