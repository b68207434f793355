"""Command line: `python -m lib.cli …` — the same core the pages call.

User errors exit with status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import pandas as pd

from lib import access
from lib.demo import generator as demo
from lib.io.reports import all_reports
from lib.store.db import DatabaseError, open_database

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
        from lib.io.export import to_csv_bytes

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


@command("import")
def cmd_import(args: argparse.Namespace) -> int:
    from lib.io import ingest

    db = open_database(args.db)
    report = ingest.import_file(
        db,
        cli_viewer(args),
        args.kind,
        args.file,
        mapping=ingest.parse_map_option(args.map),
        sheet=args.sheet,
        encoding=args.encoding,
        mode=args.mode,
    )
    mapped = ", ".join(f"{c} -> {f}" for c, f in report.mapping.items() if f)
    print(f"{report.file_name} (sha256 {report.sha256[:12]}…): {mapped}")
    if report.ignored:
        print(f"ignored columns: {', '.join(report.ignored)}")
    if len(report.problems):
        shown = report.problems.head(PROBLEMS_SHOWN)
        emit(shown, "table")
        if len(report.problems) > PROBLEMS_SHOWN:
            print(
                f"… and {len(report.problems) - PROBLEMS_SHOWN} more problems; "
                "write every rejected row with --rejects FILE"
            )
    if args.rejects and report.rejected:
        write_frame(report.rejects, args.rejects)
        print(f"rejected rows written to {args.rejects}")
    print(f"{report.summary()} ({report.seconds:.2f} s)")
    if report.problems.empty or report.written:
        return 0
    print(f"error: problems found: {len(report.problems)}; nothing written", file=sys.stderr)
    return 1


def write_frame(frame: pd.DataFrame, output: str) -> None:
    """A table as CSV, or Excel when the file name ends in .xlsx (formulas neutralised)."""
    from lib.io.export import to_csv_bytes, to_excel_bytes

    excel = output.lower().endswith(".xlsx")
    with open(output, "wb") as handle:
        handle.write(to_excel_bytes(frame) if excel else to_csv_bytes(frame))


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    from lib.io import backup

    db = open_database(args.db)
    rows = backup.export_file(db, cli_viewer(args), args.name, args.output, args.format)
    print(f"Exported {rows} rows of {args.name} to {args.output}")
    return 0


@command("backup")
def cmd_backup(args: argparse.Namespace) -> int:
    from lib.io import backup

    db = open_database(args.db)
    started = time.perf_counter()
    path = backup.backup(db, cli_viewer(args), args.output)
    print(f"Backup written to {path} in {time.perf_counter() - started:.1f} s")
    return 0


@command("restore")
def cmd_restore(args: argparse.Namespace) -> int:
    from lib.io import backup

    db = open_database(args.db)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("restore replaces every table; add --yes to confirm")
        answer = input(f"Replace every table of {db.path} with {args.source}? [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            raise UserError("restore cancelled")
    started = time.perf_counter()
    counts = backup.restore(db, cli_viewer(args), args.source)
    print(
        f"Restored {sum(counts.values())} rows in {len(counts)} tables from {args.source} "
        f"in {time.perf_counter() - started:.1f} s; counts and checksums match the backup"
    )
    return 0


PROBLEMS_SHOWN = 50


def add_data_commands(sub: argparse._SubParsersAction) -> None:
    """import, export, backup and restore."""
    from lib.io.ingest import KINDS, MODES

    imp = sub.add_parser("import", help="import a CSV or Excel file into a table")
    imp.add_argument("kind", choices=list(KINDS))
    imp.add_argument("file")
    imp.add_argument(
        "--map",
        action="append",
        help='source column to field, e.g. "EmployeeNumber=person_id,Dept=department"; '
        "=ignore drops a column",
    )
    imp.add_argument("--sheet", help="Excel sheet (default: the first)")
    imp.add_argument("--mode", default="dry-run", choices=MODES)
    imp.add_argument("--encoding", help="CSV encoding (default: detected)")
    imp.add_argument("--rejects", help="write rejected rows with a reason column to this file")

    exp = sub.add_parser("export", help="export a table or report to CSV or Excel")
    exp.add_argument("name", help="table or report name")
    exp.add_argument("--format", choices=["csv", "xlsx"], help="default: from --output")
    exp.add_argument("--output", required=True)

    bak = sub.add_parser("backup", help="write a restorable snapshot of every table")
    bak.add_argument("--output", help="directory (default: data/backups/<db>-<time>)")

    res = sub.add_parser("restore", help="replace every table with a backup")
    res.add_argument("source", help="backup directory or .zip")
    res.add_argument("--yes", action="store_true", help="do not ask for confirmation")


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
    rep.add_argument("name", help="one of: " + ", ".join(all_reports()))
    rep.add_argument("--format", default="table", choices=["table", "csv", "json"])
    rep.add_argument("--output", help="write to this file instead of the screen")
    rep.add_argument("--size", type=int, help="shortlist size K")
    rep.add_argument("--max-per-department", type=int, dest="max_per_department")
    add_data_commands(sub)
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
