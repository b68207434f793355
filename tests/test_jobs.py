"""Command-line jobs handed to the process that holds the database: the same command, role
rules and audit; one job at a time, a waiting job refused with a sentence when its wait runs
out; a write that finds another write under way waits, then is refused; only the app's own
user may connect."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from functools import partial

import pandas as pd
import pytest

from lib import cli, jobs
from lib.store.db import forget, open_database
from tests.conftest import ROOT


@pytest.fixture
def served(tiny_template, tmp_path, monkeypatch):
    """A private tiny database opened as the app opens it, with its job listener."""
    path = tmp_path / "served.duckdb"
    shutil.copy(tiny_template, path)
    monkeypatch.delenv("EXPERTISE_JOB_SOCKET", raising=False)
    db = open_database(path)
    listener = jobs.JobListener(tmp_path / "served.duckdb.jobs.sock", partial(cli.run_job, db.path))
    listener.start()
    yield db
    listener.stop()
    forget(path)


def people_file(folder, count: int, prefix: str = "J"):
    path = folder / f"people_{prefix}.csv"
    frame = pd.DataFrame(
        {"person_id": [f"{prefix}{i:04d}" for i in range(count)], "name": ["Someone"] * count}
    )
    frame.to_csv(path, index=False)
    return path


def test_an_import_handed_to_the_app_is_written_and_audited(served, tmp_path, capsys):
    before = served.count("people")
    upload = people_file(tmp_path, 7)
    os.chdir(tmp_path)  # a relative file name means the caller's file, not the app's
    code = cli.main(["--db", str(served.path), "import", "people", upload.name, "--mode", "strict"])
    out = capsys.readouterr().out
    assert code == 0
    assert "7 inserted" in out
    assert served.count("people") == before + 7
    actor, action, file_name = served.rows(
        "SELECT actor, action, file_name FROM audit_log ORDER BY entry_id DESC LIMIT 1"
    )[0]
    assert (actor, action, file_name) == ("cli:curator", "import", upload.name)


def test_the_role_rules_apply_to_a_job(served, tmp_path, capsys):
    output = tmp_path / "people.csv"
    args = ["--db", str(served.path), "--role", "leadership", "export", "people"]
    code = cli.main([*args, "--output", str(output)])
    assert code == 2
    assert capsys.readouterr().err.startswith("error: The Leadership role may not edit data")
    assert not output.exists()


def test_init_needs_the_app_stopped(served, capsys):
    assert cli.main(["--db", str(served.path), "init", "--tier", "tiny", "--force"]) == 2
    assert "runs only while the app is stopped" in capsys.readouterr().err
    assert served.count("people") == 400


def test_a_request_the_app_cannot_read_is_refused(served):
    bad = {"command": "stats", "role": "curator", "format": "table", "sql": "DROP TABLE people"}
    reply = jobs.hand_over(served.path.with_name("served.duckdb.jobs.sock"), bad, 1, 30)
    assert reply["exit"] == 2 and "could not read this job request" in reply["stderr"]
    assert served.count("people") == 400


def test_a_job_waits_its_turn_or_is_refused_with_a_sentence(served, monkeypatch, capsys):
    entered, release = threading.Event(), threading.Event()

    def slow_stats(args):
        entered.set()
        release.wait(60)
        print("slow stats done", file=args.out)
        return 0

    monkeypatch.setitem(cli.COMMANDS, "stats", slow_stats)
    socket_path = served.path.with_name("served.duckdb.jobs.sock")
    first: list[dict] = []
    stats = cli.job_args(cli.build_parser().parse_args(["stats"]))
    runner = threading.Thread(
        target=lambda: first.append(jobs.hand_over(socket_path, stats, 0, 60))
    )
    runner.start()
    assert entered.wait(60)
    code = cli.main(["--db", str(served.path), "--wait", "0", "report", "kpis"])
    err = capsys.readouterr().err.splitlines()[-1]  # the app's log may share this process
    assert code == 2
    assert err.startswith("error: Another job (stats by cli:curator, since ")
    assert "nothing was done" in err
    waiting: list[dict] = []
    kpis = {**cli.job_args(cli.build_parser().parse_args(["report", "kpis"]))}
    patient = threading.Thread(
        target=lambda: waiting.append(jobs.hand_over(socket_path, kpis, 60, 60))
    )
    patient.start()
    release.set()
    runner.join(60)
    patient.join(60)
    assert first[0]["exit"] == 0 and "slow stats done" in first[0]["stdout"]
    assert waiting[0]["exit"] == 0 and "active_members" in waiting[0]["stdout"]


def test_a_job_meeting_a_page_write_waits_then_is_refused(served, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXPERTISE_WRITE_WAIT", "1")
    upload = people_file(tmp_path, 3, "W")
    command = ["--db", str(served.path), "import", "people", str(upload), "--mode", "strict"]
    with served.transaction():  # a page's write under way in this process
        assert cli.main(command) == 2
    err = capsys.readouterr().err
    assert "busy with another change for more than 1 s; nothing was written" in err
    assert served.count("people") == 400
    assert cli.main(command) == 0
    assert served.count("people") == 403


def test_the_socket_is_its_owners_only(served):
    socket_path = served.path.with_name("served.duckdb.jobs.sock")
    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
    if os.getuid() != 0:
        pytest.skip("needs root to try as another user")
    child = os.fork()
    if child == 0:  # another user on the same machine
        os.setuid(65534)
        probe = socket.socket(socket.AF_UNIX)
        try:
            probe.connect(str(socket_path))
        except PermissionError:
            os._exit(0)
        os._exit(1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_socket_left_by_a_dead_app_is_neither_used_nor_in_the_way(tiny_template, tmp_path):
    path = tmp_path / "left.duckdb"
    shutil.copy(tiny_template, path)
    left = tmp_path / "left.duckdb.jobs.sock"
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(str(left))
    dead.close()  # the file stays, nobody listens
    result = subprocess.run(
        [sys.executable, "-m", "lib.cli", "--db", str(path), "stats", "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "people,400" in result.stdout
    db = open_database(path)
    listener = jobs.JobListener(left, partial(cli.run_job, db.path)).start()
    try:
        assert jobs.is_listening(left)
    finally:
        listener.stop()
        forget(path)


def test_a_membership_move_is_a_job_with_its_rules(served, monkeypatch, capsys):
    answered: list[dict | None] = []
    hand_over = jobs.hand_over
    monkeypatch.setattr(
        jobs, "hand_over", lambda *a: answered.append(hand_over(*a)) or answered[-1]
    )
    person = served.scalar("SELECT min(person_id) FROM memberships WHERE status = 'active'")
    base = ["--db", str(served.path), "member"]
    assert cli.main([*base, "pause", person, "--note", "Parental leave"]) == 0
    assert served.scalar("SELECT status FROM memberships WHERE person_id = ?", [person]) == (
        "paused"
    )
    actor, action = served.rows(
        "SELECT actor, action FROM audit_log ORDER BY entry_id DESC LIMIT 1"
    )[0]
    assert actor == "cli:curator" and "member" in action
    capsys.readouterr()
    assert cli.main([*base, "pause", person]) == 2  # paused already: one line, nothing changes
    assert capsys.readouterr().err.count("\n") == 1
    assert cli.main([*base, "history", person, "--format", "csv"]) == 0
    assert "paused" in capsys.readouterr().out
    assert len(answered) == 3 and all(reply is not None for reply in answered)  # the app ran them
