"""Command line: `python -m lib.cli …` — the same core the pages call.

User errors exit with status 2 and one line on stderr in English, never a traceback. The
`expertise` console script runs `main`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import pandas as pd

from lib import access, demo, errors
from lib.errors import Refusal
from lib.i18n import t
from lib.io import backup, ingest, restore
from lib.io.export import to_csv_bytes, to_excel_bytes, write_file
from lib.io.kinds import KINDS
from lib.io.mapping import parse_map_option
from lib.membership.cli import add_member_commands, run_member
from lib.reporting import all_reports, run_report
from lib.store.db import STORAGE_ERRORS, fault, open_database, resolve_path

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def register(fn):
        COMMANDS[name] = fn
        return fn

    return register


def emit(frame: pd.DataFrame, fmt: str, output: str | None = None) -> None:
    """Print or write a table as an aligned table, CSV or JSON."""
    if fmt == "csv":
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
        write_file(output, data.encode("utf-8"))
    else:
        print(data)


def cli_viewer(args: argparse.Namespace, db=None) -> access.Viewer:
    """The viewer whose rights a command runs with: `--role`, and for the member role the
    club member named by `--member` (an employee ID or e-mail)."""
    if args.role != access.MEMBER:
        return access.Viewer(role=args.role, email=f"cli:{args.role}")
    wanted = (args.member or "").strip()
    if not wanted:
        raise Refusal("cli.err_member_needed")
    db = db or open_database(args.db)
    person = access.member_by_email(db, wanted) if "@" in wanted else wanted
    found = access.member_viewer(db, person, email=f"cli:member:{person}") if person else None
    if found is None:
        raise Refusal("cli.err_not_a_member", member=wanted[:64])
    return found


@command("init")
def cmd_init(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    if db.count("people") and not args.force:
        raise Refusal("cli.err_has_data", path=str(db.path))
    if args.tier == "empty":
        if args.force:
            with db.transaction() as cur:
                for table in reversed(demo.DATA_TABLES):
                    cur.execute(f"DELETE FROM {table}")
        print(t("cli.created_empty", path=db.path, version=db.schema_version()))
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
        t(
            "cli.created_tier",
            path=db.path,
            tier=args.tier,
            seconds=f"{total:.1f}",
            generate=f"{timings['generate_s']:.1f}",
            load=f"{timings['load_s']:.1f}",
            size=f"{size:.1f}",
        )
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
        raise Refusal("cli.err_unknown_report", name=args.name, reports=", ".join(reports))
    db = open_database(args.db)
    options = {
        k: v
        for k, v in {"size": args.size, "max_per_department": args.max_per_department}.items()
        if v is not None
    }
    frame = run_report(db, cli_viewer(args, db), args.name, **options)
    note = frame.attrs.get("note")
    if note and args.output:
        frame = pd.concat([frame, pd.DataFrame([{frame.columns[0]: note}])], ignore_index=True)
    emit(frame, args.format, args.output)
    if note:
        print(note, file=sys.stderr)
    return 0


@command("import")
def cmd_import(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    report = ingest.import_file(
        db,
        cli_viewer(args),
        args.kind,
        args.file,
        mapping=parse_map_option(args.map),
        sheet=args.sheet,
        encoding=args.encoding,
        mode=args.mode,
        value_file=args.values,
    )
    mapped = ", ".join(f"{c} -> {f}" for c, f in report.mapping.items() if f)
    print(t("cli.import_mapping", file=report.file_name, sha256=report.sha256[:12], mapped=mapped))
    if report.ignored:
        print(t("cli.import_ignored", columns=", ".join(report.ignored)))
    print_value_review(report, args.propose_values)
    if len(report.problems):
        shown = report.problems.head(PROBLEMS_SHOWN)
        emit(shown, "table")
        if len(report.problems) > PROBLEMS_SHOWN:
            print(t("cli.import_more_problems", more=len(report.problems) - PROBLEMS_SHOWN))
    if args.rejects and report.rejected:
        write_frame(report.rejects, args.rejects)
        print(t("cli.import_rejects_written", path=args.rejects))
    if len(report.changes):
        emit(report.changes.head(PROBLEMS_SHOWN), "table")
    if args.changes:
        write_frame(report.changes, args.changes)
    print(t("cli.import_done", summary=report.summary(), seconds=f"{report.seconds:.2f}"))
    if report.problems.empty or report.written:
        return 0
    print(f"error: {t('cli.import_refused', problems=len(report.problems))}", file=sys.stderr)
    return 1


def print_value_review(report: ingest.ImportReport, proposals: str | None) -> None:
    """New values of categorical columns without a decision, and their proposed matches;
    optionally written as a values file to edit and pass back with --values."""
    review = report.values
    undecided = review[~review["known"] & (review["reason"] != "remembered")]
    if undecided.empty:
        return
    print(t("data.values_cli_heading"))
    emit(undecided[["field", "value", "rows", "proposed", "reason"]].head(PROBLEMS_SHOWN), "table")
    if proposals:
        template = undecided.drop(columns="column").rename(columns={"field": "column"})[
            ["column", "value", "mapped_to", "decision", "rows", "reason"]
        ]
        write_frame(template, proposals)
        print(t("data.values_cli_proposals", path=proposals))


def write_frame(frame: pd.DataFrame, output: str) -> None:
    """A table as CSV, or Excel when the file name ends in .xlsx (formulas neutralised)."""
    excel = output.lower().endswith(".xlsx")
    write_file(output, to_excel_bytes(frame) if excel else to_csv_bytes(frame))


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    rows = backup.export_file(db, cli_viewer(args), args.name, args.output, args.format)
    print(t("cli.exported", rows=rows, name=args.name, path=args.output))
    return 0


@command("backup")
def cmd_backup(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    started = time.perf_counter()
    path = backup.backup(db, cli_viewer(args), args.output)
    print(t("cli.backup_written", path=path, seconds=f"{time.perf_counter() - started:.1f}"))
    return 0


@command("restore")
def cmd_restore(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    if not args.yes:
        if not sys.stdin.isatty():
            raise Refusal("cli.err_restore_unconfirmed")
        answer = input(t("cli.restore_question", path=db.path, source=args.source))
        if answer.strip().lower() not in {"y", "yes"}:
            raise Refusal("cli.err_restore_cancelled")
    started = time.perf_counter()
    counts = restore.restore(db, cli_viewer(args), args.source)
    print(
        t(
            "cli.restored",
            rows=sum(counts.values()),
            tables=len(counts),
            source=args.source,
            seconds=f"{time.perf_counter() - started:.1f}",
        )
    )
    return 0


PROBLEMS_SHOWN = 50


def add_data_commands(sub: argparse._SubParsersAction) -> None:
    """import, export, backup and restore."""
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
    imp.add_argument("--mode", default="dry-run", choices=ingest.MODES)
    imp.add_argument("--encoding", help="CSV encoding (default: detected)")
    imp.add_argument("--rejects", help="write rejected rows with a reason column to this file")
    imp.add_argument(
        "--values",
        help="value decisions, CSV or Excel: column,value,mapped_to[,decision] "
        "(decision map, keep or reject; blank mapped_to keeps the value); "
        "without it the decisions remembered from earlier imports apply",
    )
    imp.add_argument(
        "--propose-values",
        dest="propose_values",
        help="write the new values and their proposed matches to this file, to edit and pass "
        "back with --values",
    )
    imp.add_argument("--changes", help="write every changed field (key, field, before, after)")

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
    parser.add_argument(
        "--member",
        help="with --role member: the club member (employee ID or e-mail) acting",
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


@command("member")
def cmd_member(args: argparse.Namespace) -> int:
    return run_member(args, open_database(args.db), cli_viewer(args), emit)


# Modules that add subcommands call `COMMANDS` via `command()` and add their parser here.
EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = [add_member_commands]


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit code (0 done, 1 import problems, 2 refused)."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ValueError, access.AccessDenied, *STORAGE_ERRORS) as exc:
        print(f"error: {failure_line(exc, args)}", file=sys.stderr)
        return 2


def failure_line(exc: BaseException, args: argparse.Namespace) -> str:
    """A refusal, or a storage, file or zip error, as one line of English."""
    if isinstance(exc, STORAGE_ERRORS):
        exc = fault(exc, resolve_path(args.db).name)
    return " ".join(errors.message(exc).split())


if __name__ == "__main__":
    sys.exit(main())
