"""`python -m lib.cli member …`: the lifecycle for scripted and bulk changes, with the same
rules and audit as the pages.

    member invite PERSON_ID… --wave N [--note TEXT] [--on DATE]
    member onboard|activate|pause|resume PERSON_ID… [--note TEXT] [--on DATE]
    member offboard PERSON_ID… --reason REASON [--note TEXT] [--on DATE]
    member history PERSON_ID [--format table|csv|json]

An illegal move is refused before anything changes: status 2 and one line naming every
person who cannot move, and why.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

import pandas as pd

from lib.access import Viewer
from lib.i18n import t
from lib.membership import lifecycle
from lib.store.db import Database

Emit = Callable[[pd.DataFrame, str], None]


def add_member_commands(sub: argparse._SubParsersAction) -> None:
    """The `member` command and one subcommand per lifecycle action, plus `history`."""
    member = sub.add_parser("member", help="membership lifecycle and history of one person")
    actions = member.add_subparsers(dest="member_action", required=True)
    for action in lifecycle.ACTIONS:
        parser = actions.add_parser(action, help=f"{action} the given people")
        parser.add_argument("person_id", nargs="+")
        parser.add_argument("--note", help="note on the status change")
        parser.add_argument("--on", type=date.fromisoformat, help="day of the change (ISO)")
        if action == "invite":
            parser.add_argument("--wave", type=int, required=True, help="wave number")
        if action == "offboard":
            parser.add_argument(
                "--reason", required=True, help=f"one of: {', '.join(lifecycle.EXIT_REASONS)}"
            )
    history = actions.add_parser("history", help="status changes of one person")
    history.add_argument("person_id")
    history.add_argument("--format", default="table", choices=["table", "csv", "json"])


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for the terminal: days without a time, blanks as a dash."""
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.date
    return shown.astype(object).where(shown.notna(), "—")


def run_member(args: argparse.Namespace, db: Database, viewer: Viewer, emit: Emit) -> int:
    """Run one `member` subcommand; refusals propagate to the CLI's error handling."""
    if args.member_action == "history":
        found = lifecycle.history(db, viewer, args.person_id)
        emit(_readable(found) if args.format == "table" else found, args.format)
        return 0
    entry = lifecycle.change_status(
        db,
        viewer,
        args.member_action,
        args.person_id,
        on=args.on,
        wave=getattr(args, "wave", None),
        reason=getattr(args, "reason", None),
        note=args.note,
    )
    print(
        t(
            f"members.done_{args.member_action}",
            count=len(set(args.person_id)),
            entry=entry,
        ),
        file=getattr(args, "out", None),
    )
    return 0
