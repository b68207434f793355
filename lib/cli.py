"""Command line: `python -m lib.cli …` — the same core the pages call.

User errors exit with status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import pandas as pd

from lib import access, demo
from lib.db import DatabaseError, open_database
from lib.reports import all_reports

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def command(name: str):
    def register(fn):
        COMMANDS[name] = fn
        return fn

    return register


def emit(frame: pd.DataFrame, fmt: str, output: str | None = None) -> None:
    """Print or write a table as an aligned table, CSV or JSON."""
    if fmt == "csv":
        from lib.export import to_csv_bytes

        data = to_csv_bytes(frame).decode("utf-8-sig")
    elif fmt == "json":
        data = frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    else:
        with pd.option_context(
            "display.max_rows",
            500,
            "display.max_columns",
            50,
            "display.width",
            200,
            "display.max_colwidth",
            60,
        ):
            data = frame.to_string(index=False)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(data)
    else:
        print(data)


def cli_viewer(args: argparse.Namespace) -> access.Viewer:
    return access.Viewer(role=args.role, email=f"cli:{args.role}")


@command("init")
def cmd_init(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    if db.count("people") and not args.force:
        raise UserError(f"{db.path} already holds data; add --force to replace it.")
    if args.tier == "empty":
        if args.force:
            with db.transaction() as cur:
                for table in reversed(demo.DATA_TABLES):
                    cur.execute(f"DELETE FROM {table}")
        print(f"Created {db.path} (schema version {db.schema_version()}, no data)")
        return 0
    started = time.perf_counter()
    timings = demo.generate(
        db,
        args.tier,
        seed=args.seed,
        lang=args.lang,
        progress=lambda f, step: print(f"  {f:4.0%} {step}", file=sys.stderr),
    )
    total = time.perf_counter() - started
    size = db.path.stat().st_size / 1e6
    print(
        f"Created {db.path} with the {args.tier} tier in {total:.1f} s "
        f"(generate {timings['generate_s']:.1f} s, load {timings['load_s']:.1f} s), "
        f"{size:.1f} MB"
    )
    return 0


@command("stats")
def cmd_stats(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    counts = db.counts()
    frame = pd.DataFrame({"table": list(counts), "rows": list(counts.values())})
    emit(frame, args.format)
    return 0


@command("report")
def cmd_report(args: argparse.Namespace) -> int:
    reports = all_reports()
    if args.name not in reports:
        raise UserError(f"Unknown report {args.name!r}; choose one of: {', '.join(reports)}")
    db = open_database(args.db)
    options = {
        k: v
        for k, v in {"size": args.size, "max_per_department": args.max_per_department}.items()
        if v is not None
    }
    frame = reports[args.name].run(db, cli_viewer(args), **options)
    emit(frame, args.format, args.output)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.cli", description="Ambassador Expertise Map command line"
    )
    parser.add_argument(
        "--db", help="database file (default: $EXPERTISE_DB or data/expertise.duckdb)"
    )
    parser.add_argument(
        "--role",
        default="curator",
        choices=access.ROLES,
        help="role whose access rules apply (default: curator)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="create the database, optionally with a demo tier")
    init.add_argument("--tier", default="demo", choices=[*demo.TIERS, "empty"])
    init.add_argument("--force", action="store_true", help="replace existing data")
    init.add_argument("--lang", default="en", choices=["en", "ru"])
    init.add_argument("--seed", type=int, default=demo.SEED)

    stats = sub.add_parser("stats", help="row count per table")
    stats.add_argument("--format", default="table", choices=["table", "csv", "json"])

    rep = sub.add_parser("report", help="print a named report")
    rep.add_argument("name")
    rep.add_argument("--format", default="table", choices=["table", "csv", "json"])
    rep.add_argument("--output", help="write to this file instead of the screen")
    rep.add_argument("--size", type=int, help="shortlist size K")
    rep.add_argument("--max-per-department", type=int, dest="max_per_department")
    for extend in EXTENSIONS:
        extend(sub)
    return parser


# Modules that add subcommands call `COMMANDS` via `command()` and add their parser here.
EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (UserError, ValueError, DatabaseError, access.AccessDenied, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
