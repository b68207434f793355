"""Command line: `python -m lib.cli …` — the same core the pages call.

User errors exit with status 2 and one line on stderr in English, never a traceback. The
`expertise` console script runs `main`.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pandas as pd

from lib import access, demo, deployment, errors, jobs, logs
from lib.errors import Refusal
from lib.i18n import t
from lib.io import backup, ingest, restore
from lib.io.export import to_csv_bytes, to_excel_bytes, write_file
from lib.io.kinds import KINDS
from lib.io.mapping import parse_map_option
from lib.membership.cli import add_member_commands, run_member
from lib.reporting import all_reports, run_report
from lib.store import snapshots
from lib.store.db import STORAGE_ERRORS, DatabaseError, fault, open_database, resolve_path

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def register(fn):
        COMMANDS[name] = fn
        return fn

    return register


def emit(frame: pd.DataFrame, fmt: str, output: str | None = None, out: TextIO | None = None):
    """Print (to `out`, default standard output) or write a table as an aligned table, CSV or
    JSON."""
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
        print(data, file=out or sys.stdout)


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
        print(t("cli.created_empty", path=db.path, version=db.schema_version()), file=args.out)
        return 0
    started = time.perf_counter()
    timings = demo.generate(
        db,
        args.tier,
        seed=args.seed,
        lang=args.lang,
        progress=lambda f, step: print(f"  {f:4.0%} {step}", file=args.err),
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
        ),
        file=args.out,
    )
    return 0


@command("stats")
def cmd_stats(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    counts = db.counts()
    frame = pd.DataFrame({"table": list(counts), "rows": list(counts.values())})
    emit(frame, args.format, out=args.out)
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
    emit(frame, args.format, args.output, out=args.out)
    if note:
        print(note, file=args.err)
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
    out = args.out
    mapping_line = t(
        "cli.import_mapping", file=report.file_name, sha256=report.sha256[:12], mapped=mapped
    )
    print(mapping_line, file=out)
    if report.ignored:
        print(t("cli.import_ignored", columns=", ".join(report.ignored)), file=out)
    print_value_review(report, args.propose_values, out)
    if len(report.problems):
        shown = report.problems.head(PROBLEMS_SHOWN)
        emit(shown, "table", out=out)
        if len(report.problems) > PROBLEMS_SHOWN:
            more = len(report.problems) - PROBLEMS_SHOWN
            print(t("cli.import_more_problems", more=more), file=out)
    if args.rejects and report.rejected:
        write_frame(report.rejects, args.rejects)
        print(t("cli.import_rejects_written", path=args.rejects), file=out)
    if len(report.changes):
        emit(report.changes.head(PROBLEMS_SHOWN), "table", out=out)
    if args.changes:
        write_frame(report.changes, args.changes)
    done = t("cli.import_done", summary=report.summary(), seconds=f"{report.seconds:.2f}")
    print(done, file=out)
    if report.problems.empty or report.written:
        return 0
    print(f"error: {t('cli.import_refused', problems=len(report.problems))}", file=args.err)
    return 1


def print_value_review(report: ingest.ImportReport, proposals: str | None, out: TextIO) -> None:
    """New values of categorical columns without a decision, and their proposed matches;
    optionally written as a values file to edit and pass back with --values."""
    review = report.values
    undecided = review[~review["known"] & (review["reason"] != "remembered")]
    if undecided.empty:
        return
    print(t("data.values_cli_heading"), file=out)
    shown = undecided[["field", "value", "rows", "proposed", "reason"]].head(PROBLEMS_SHOWN)
    emit(shown, "table", out=out)
    if proposals:
        template = undecided.drop(columns="column").rename(columns={"field": "column"})[
            ["column", "value", "mapped_to", "decision", "rows", "reason"]
        ]
        write_frame(template, proposals)
        print(t("data.values_cli_proposals", path=proposals), file=out)


def write_frame(frame: pd.DataFrame, output: str) -> None:
    """A table as CSV, or Excel when the file name ends in .xlsx (formulas neutralised)."""
    excel = output.lower().endswith(".xlsx")
    write_file(output, to_excel_bytes(frame) if excel else to_csv_bytes(frame))


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    rows = backup.export_file(db, cli_viewer(args), args.name, args.output, args.format)
    print(t("cli.exported", rows=rows, name=args.name, path=args.output), file=args.out)
    return 0


@command("backup")
def cmd_backup(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    started = time.perf_counter()
    path = backup.backup(db, cli_viewer(args), args.output)
    seconds = f"{time.perf_counter() - started:.1f}"
    print(t("cli.backup_written", path=path, seconds=seconds), file=args.out)
    return 0


@command("restore")
def cmd_restore(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    confirm_restore(args)
    started = time.perf_counter()
    counts = restore.restore(db, cli_viewer(args), args.source)
    print(
        t(
            "cli.restored",
            rows=sum(counts.values()),
            tables=len(counts),
            source=args.source,
            seconds=f"{time.perf_counter() - started:.1f}",
        ),
        file=args.out,
    )
    return 0


def confirm_restore(args: argparse.Namespace) -> None:
    """Ask before a restore replaces every table (unless --yes); then --yes holds."""
    if not args.yes:
        if not sys.stdin.isatty():
            raise Refusal("cli.err_restore_unconfirmed")
        answer = input(t("cli.restore_question", path=resolve_path(args.db), source=args.source))
        if answer.strip().lower() not in {"y", "yes"}:
            raise Refusal("cli.err_restore_cancelled")
    args.yes = True


PROBLEMS_SHOWN = 50


def add_data_commands(sub: argparse._SubParsersAction) -> None:
    """import, export, backup and restore."""
    imp = sub.add_parser("import", help="import a CSV or Excel file into a table")
    imp.add_argument("kind", choices=list(KINDS))
    imp.add_argument("file", type=local_path)
    imp.add_argument(
        "--map",
        action="append",
        help='source column to field, e.g. "EmployeeNumber=person_id,Dept=department"; '
        "=ignore drops a column",
    )
    imp.add_argument("--sheet", help="Excel sheet (default: the first)")
    imp.add_argument("--mode", default="dry-run", choices=ingest.MODES)
    imp.add_argument("--encoding", help="CSV encoding (default: detected)")
    imp.add_argument(
        "--rejects", type=local_path, help="write rejected rows with a reason column to this file"
    )
    imp.add_argument(
        "--values",
        type=local_path,
        help="value decisions, CSV or Excel: column,value,mapped_to[,decision] "
        "(decision map, keep or reject; blank mapped_to keeps the value); "
        "without it the decisions remembered from earlier imports apply",
    )
    imp.add_argument(
        "--propose-values",
        dest="propose_values",
        type=local_path,
        help="write the new values and their proposed matches to this file, to edit and pass "
        "back with --values",
    )
    imp.add_argument(
        "--changes", type=local_path, help="write every changed field (key, field, before, after)"
    )

    exp = sub.add_parser("export", help="export a table or report to CSV or Excel")
    exp.add_argument("name", help="table or report name")
    exp.add_argument("--format", choices=["csv", "xlsx"], help="default: from --output")
    exp.add_argument("--output", required=True, type=local_path)

    bak = sub.add_parser("backup", help="write a restorable snapshot of every table")
    bak.add_argument(
        "--output", type=local_path, help="directory (default: data/backups/<db>-<time>)"
    )

    res = sub.add_parser("restore", help="replace every table with a backup")
    res.add_argument("source", type=local_path, help="backup directory or .zip")
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
        "--wait",
        type=float,
        default=deployment.current().job_wait_s,
        help="seconds a job handed to the running app waits for the one before it "
        "(default: $EXPERTISE_JOB_WAIT or 60)",
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
    rep.add_argument("--output", type=local_path, help="write to this file instead of the screen")
    rep.add_argument("--size", type=int, help="shortlist size K")
    rep.add_argument("--max-per-department", type=int, dest="max_per_department")
    add_data_commands(sub)
    for extend in EXTENSIONS:
        extend(sub)
    return parser


@command("member")
def cmd_member(args: argparse.Namespace) -> int:
    def shown(frame: pd.DataFrame, fmt: str) -> None:
        emit(frame, fmt, out=args.out)

    return run_member(args, open_database(args.db), cli_viewer(args), shown)


# Modules that add subcommands call `COMMANDS` via `command()` and add their parser here.
EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = [add_member_commands]


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit code (0 done, 1 import problems, 2 refused).

    When an app serves the database (it holds DuckDB's one write lock), the command is handed
    to it as a job and its answer printed; otherwise the command opens the database itself."""
    args = build_parser().parse_args(argv)
    args.out, args.err = sys.stdout, sys.stderr
    with logs.command_line():
        return dispatch(args)


def dispatch(args: argparse.Namespace) -> int:
    setup = deployment.current(args.db)
    try:
        if args.command == "restore":
            confirm_restore(args)
        reply = jobs.hand_over(setup.job_socket, job_args(args), args.wait, setup.job_timeout_s)
    except (ValueError, access.AccessDenied) as exc:
        return refuse(exc, args)
    if reply is not None:
        sys.stdout.write(reply["stdout"])
        sys.stderr.write(reply["stderr"])
        return int(reply["exit"])
    code = run_command(args)
    if code != 2 and setup.snapshots is not None:
        publish_if_behind(args, setup.snapshots)
    return code


def run_command(args: argparse.Namespace) -> int:
    """One parsed command, its refusals and storage faults as one `error:` line."""
    try:
        return COMMANDS[args.command](args)
    except (ValueError, access.AccessDenied, *STORAGE_ERRORS) as exc:
        return refuse(exc, args)


def refuse(exc: BaseException, args: argparse.Namespace) -> int:
    logs.refusal("cli", exc)
    print(f"error: {failure_line(exc, args)}", file=args.err)
    return 2


def failure_line(exc: BaseException, args: argparse.Namespace) -> str:
    """A refusal, or a storage, file or zip error, as one line of English."""
    if isinstance(exc, STORAGE_ERRORS):
        exc = fault(exc, resolve_path(args.db).name)
    return " ".join(errors.message(exc).split())


def local_path(text: str) -> str:
    """A file argument as an absolute path, so that it means the same file to the app that may
    run the job from another working directory."""
    return str(Path(text).expanduser().absolute())


# -- jobs ----------------------------------------------------------------------------------
# Commands the serving app runs for the command line; `init` needs the app stopped.
JOB_COMMANDS = frozenset({"import", "export", "backup", "restore", "report", "stats", "member"})
LOCAL_ONLY = ("db", "out", "err", "wait")


def job_args(args: argparse.Namespace) -> dict:
    """The parsed command as the app receives it (paths are already absolute)."""
    return {k: v for k, v in vars(args).items() if k not in LOCAL_ONLY}


def command_options(payload: dict) -> set[str] | None:
    """Every option name the payload's command has, the global ones and those of each nested
    subcommand it names (`member offboard`); None for a subcommand that does not exist."""
    parser: argparse.ArgumentParser = build_parser()
    names: set[str] = set()
    while True:
        names |= {a.dest for a in parser._actions}
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not nested:
            return names - {"help", *LOCAL_ONLY}
        chosen = payload.get(nested[0].dest)
        if chosen not in nested[0].choices:
            return None
        parser = nested[0].choices[chosen]


def run_job(db_path: Path, payload: dict) -> dict:
    """Run a job the command line handed to the app serving `db_path`: the same command, the
    same role rules and audit, its output captured for the answer."""
    command = payload.get("command")
    if command not in COMMANDS:
        return jobs.refused(Refusal("ops.err_job_request"))
    if command not in JOB_COMMANDS:
        return jobs.refused(Refusal("ops.err_job_local_only", command=command))
    if set(payload) != command_options(payload) or payload.get("role") not in access.ROLES:
        return jobs.refused(Refusal("ops.err_job_request"))
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(**payload, db=str(db_path), out=out, err=err, wait=0)
    code = run_command(args)
    return jobs.answer(code, out.getvalue(), err.getvalue())


def publish_if_behind(args: argparse.Namespace, directory: Path) -> None:
    """With no app serving, the command line publishes the snapshot replicas read after its
    own change."""
    try:
        db = open_database(args.db)
        try:
            behind = snapshots.read_pointer(directory).data_version != db.data_version()
        except DatabaseError:
            behind = True
        if behind:
            snapshots.publish(db, directory)
    except STORAGE_ERRORS as exc:
        print(f"error: {failure_line(exc, args)}", file=args.err)


if __name__ == "__main__":
    sys.exit(main())
