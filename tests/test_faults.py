"""Faults: a damaged or locked database gives a clear message, never a traceback."""

import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from lib.cli import main
from lib.store.db import Database
from tests.conftest import ROOT

HOLD = (
    "import duckdb, sys, time\n"
    "conn = duckdb.connect(sys.argv[1])\n"
    "print('locked', flush=True)\n"
    "sys.stdin.readline()\n"
)


@pytest.fixture
def locked_db(tmp_path):
    """A database file held open for writing by another process."""
    path = tmp_path / "locked.duckdb"
    Database(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    yield path
    holder.communicate("\n", timeout=10)


@pytest.fixture
def damaged_db(tmp_path):
    path = tmp_path / "damaged.duckdb"
    path.write_bytes(b"\x00garbage" * 4096)
    return path


def test_cli_on_locked_database(locked_db, capsys):
    assert main(["--db", str(locked_db), "stats"]) == 2
    err = capsys.readouterr().err
    assert "in use by another process" in err and "Traceback" not in err


def test_cli_on_damaged_database(damaged_db, capsys):
    assert main(["--db", str(damaged_db), "stats"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err or "cannot be opened" in err


@pytest.mark.parametrize("fixture", ["locked_db", "damaged_db"])
def test_app_on_unusable_database(fixture, request, monkeypatch):
    path = request.getfixturevalue(fixture)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error and "database cannot be used" in at.error[0].value
    assert not at.metric
