"""`python -m lib.cli member …`: the lifecycle from the command line, with the same rules and
audit as the pages; an illegal move exits 2 with one line."""

import subprocess
import sys

import pytest

from lib.cli import main
from lib.store.db import Database, forget
from tests.conftest import ROOT
from tests.workbench_data import seed, statuses


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "club.duckdb"
    db = Database(file)
    seed(db)
    db.close()
    yield str(file)
    forget(file)


def state(path) -> tuple[dict, list]:
    forget(path)
    db = Database(path)
    found = statuses(db), db.rows("SELECT action, actor, detail FROM audit_log ORDER BY entry_id")
    db.close()
    return found


def test_invite_onboard_and_offboard(path, capsys):
    base = ["--db", path, "member"]
    assert (
        main([*base, "invite", "P4", "--wave", "3", "--on", "2026-11-15", "--note", "Rank 1"]) == 0
    )
    assert main([*base, "onboard", "P4", "--on", "2026-11-16"]) == 0
    assert main([*base, "offboard", "P1", "--reason", "workload", "--on", "2026-11-16"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Invited 1 as candidates (change #1).",
        "Onboarding started for 1 (change #2).",
        "Offboarded 1 (change #3).",
    ]
    found, audit = state(path)
    assert found["P4"] == "onboarding" and found["P1"] == "alumni"
    assert audit == [
        ("member_invite", "cli:curator", "P4"),
        ("member_onboard", "cli:curator", "P4"),
        ("member_offboard", "cli:curator", "P1"),
    ]


def test_an_illegal_transition_exits_2_with_one_line(path, capsys):
    assert main(["--db", path, "member", "activate", "P3"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: Clara Alumna (P3) is alumni: invite them again as a candidate first."]
    assert main(["--db", path, "--role", "leadership", "member", "pause", "P1"]) == 2
    assert capsys.readouterr().err.startswith("error: The Leadership role may not run the club")
    assert state(path)[1] == []


def test_history_prints_the_status_changes(path, capsys):
    assert main(["--db", path, "member", "history", "P1", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"to_status":"onboarding"' in out.replace(" ", "") and out.count("to_status") == 3


def test_the_module_runs_as_a_script(path):
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "--db", path, "member", "pause", "P1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Paused 1 (change #1).")


def test_an_unknown_exit_reason_and_several_illegal_moves_are_one_line_each(path, capsys):
    assert main(["--db", path, "member", "offboard", "P1", "--reason", "bored"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "error: Choose an exit reason: workload, left_bank, role_change, lost_interest, "
        "relocation, declined, other."
    ]
    assert main(["--db", path, "member", "pause", "P1", "P6", "P44"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: Nothing was changed: ")
    assert "Fedor Paused (P6) is Paused" in err[0] and "Did you mean P4 (Denis Pool)?" in err[0]
    assert state(path)[1] == []


def test_history_as_a_table_reads_days_and_dashes(path, capsys):
    assert main(["--db", path, "member", "history", "P1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["changed_on", "from_status", "to_status", "note"]
    assert lines[1].split() == ["2024-12-01", "—", "candidate", "—"]
