"""Faults: a damaged or locked database, a full disk or a missing file give one clear line,
never a traceback, and leave no partial file behind."""

import builtins
import errno
import os
import shutil
import subprocess
import sys

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from lib.board import leadership
from lib.cli import main
from lib.io import backup, export, ingest
from lib.store.db import Database, DatabaseError, forget
from tests import hostile_files
from tests.conftest import ROOT

FILES = ROOT / "tests" / "files"

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
    monkeypatch.setenv("EXPERTISE_OPEN_WAIT", "0")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error and "database cannot be used" in at.error[0].value
    assert not at.metric


# -- a damaged (truncated) database file: "restore it from a backup", never a traceback --------
DAMAGED = "damaged or not a DuckDB file; restore it from a backup"


@pytest.fixture
def truncated_db(tiny_template, tmp_path):
    """The tiny tier cut to half its length, as a failed copy leaves it."""
    path = tmp_path / "truncated.duckdb"
    shutil.copy(tiny_template, path)
    hostile_files.truncate(path)
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["report", "coverage"],
        ["export", "people", "--output", "out.csv"],
        ["import", "people", "data/samples/hr_export_1500.csv"],
        ["backup", "--output", "snap"],
        ["restore", "snap", "--yes"],
    ],
    ids=lambda c: c[0],
)
def test_every_command_on_a_truncated_database_says_restore_from_a_backup(
    truncated_db, command, capsys, monkeypatch
):
    monkeypatch.chdir(ROOT)
    size = truncated_db.stat().st_size
    assert main(["--db", str(truncated_db), *command]) == 2
    err = capsys.readouterr().err
    assert err == f"error: The database truncated.duckdb is {DAMAGED}.\n"
    assert truncated_db.stat().st_size == size
    assert not (ROOT / "out.csv").exists() and not (ROOT / "snap").exists()


def test_a_damaged_file_is_not_left_locked(truncated_db):
    """The refused open closes its connection: another process may take the file at once."""
    with pytest.raises(DatabaseError, match=DAMAGED) as refused:
        Database(truncated_db)
    opener = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"
    taken = subprocess.run([sys.executable, "-c", opener, str(truncated_db)], capture_output=True)
    assert taken.returncode == 0, taken.stderr
    assert refused.value.key == "data.err_store_damaged"


def test_app_on_a_truncated_database_says_restore_from_a_backup(truncated_db, monkeypatch):
    monkeypatch.setenv("EXPERTISE_DB", str(truncated_db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"The database cannot be used: The database truncated\\.duckdb is {DAMAGED}\\."
    ]


def test_damage_found_in_the_middle_of_a_page_is_one_line(tiny_template, tmp_path, monkeypatch):
    """A block missing deep inside the file is met by a query, not at open."""
    path = tmp_path / "page.duckdb"
    shutil.copy(tiny_template, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    monkeypatch.chdir(ROOT)

    def missing_block(self, table):
        raise duckdb.IOException(
            f'IO Error: Could not read enough bytes from file "{path}": attempted to read '
            "262144 bytes from location 8138752"
        )

    monkeypatch.setattr(Database, "count", missing_block)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    forget(path)
    assert not at.exception
    assert [e.value for e in at.error] == [f"The database page\\.duckdb is {DAMAGED}\\."]


# -- a full disk: one line, exit 2, no partial file, nothing changed ------------------------
class FilledDisk:
    """A file on a disk that fills up after 4 KiB: the write stores that much, then fails."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[:4096])
        self.handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def full_disk(monkeypatch):
    """Every file lib.io.export writes (exports, reports, rejects, manifests) hits a full disk."""

    def filled(path, mode):
        return FilledDisk(builtins.open(path, mode))

    monkeypatch.setattr(export, "open", filled, raising=False)


@pytest.fixture
def cli_db(tiny_template, tmp_path):
    path = tmp_path / "cli.duckdb"
    shutil.copy(tiny_template, path)
    yield path
    forget(path)


def checksums(path) -> dict[str, str]:
    forget(path)
    db = Database(path)
    try:
        return db.table_checksums()
    finally:
        db.close()


FULL = "No space left on device"


@pytest.mark.parametrize(
    ("command", "output"),
    [
        (["export", "people", "--output", "{out}/people.xlsx"], "people.xlsx"),
        (["export", "skills", "--output", "{out}/skills.csv"], "skills.csv"),
        (["report", "coverage", "--format", "csv", "--output", "{out}/c.csv"], "c.csv"),
        (
            ["import", "people", str(FILES / "hostile.csv"), "--rejects", "{out}/rejects.csv"],
            "rejects.csv",
        ),
    ],
    ids=["export-xlsx", "export-csv", "report", "rejects"],
)
def test_a_full_disk_leaves_no_partial_file(cli_db, tmp_path, full_disk, capsys, command, output):
    out = tmp_path / "out"
    out.mkdir()
    (out / output).write_text("the previous file")
    before = checksums(cli_db)
    argv = [part.replace("{out}", str(out)) for part in command]
    assert main(["--db", str(cli_db), *argv]) == 2
    err = capsys.readouterr().err
    assert err == f"error: Could not write {out / output}: {FULL}. Nothing was written.\n"
    assert [p.name for p in out.iterdir()] == [output]
    assert (out / output).read_text() == "the previous file"
    assert checksums(cli_db) == before


def test_a_backup_on_a_full_disk_leaves_no_folder(cli_db, tmp_path, full_disk, capsys):
    assert main(["--db", str(cli_db), "backup", "--output", str(tmp_path / "snaps" / "b1")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Could not write ") and err.endswith(
        f"manifest.json: {FULL}. Nothing was written.\n"
    )
    assert list((tmp_path / "snaps").iterdir()) == []
    assert backup.list_backups(tmp_path / "snaps").empty


def test_an_import_the_database_cannot_store_changes_nothing(cli_db, capsys, monkeypatch):
    def disk_full(*args):
        raise duckdb.IOException(f'IO Error: Could not write file "{cli_db}.wal": {FULL}')

    monkeypatch.setattr(ingest, "remember_mapping", disk_full)
    before = checksums(cli_db)
    argv = [
        "--db",
        str(cli_db),
        "import",
        "people",
        str(FILES / "hostile.csv"),
        "--mode",
        "skip-bad",
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "error: The database could not complete the operation: IO Error: Could not write file "
        f'"{cli_db}.wal": {FULL}. Nothing was changed.'
    ]
    assert checksums(cli_db) == before


def test_a_missing_file_or_a_bad_zip_is_one_line(cli_db, tmp_path, capsys):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert main(["--db", str(cli_db), "restore", str(bad), "--yes"]) == 2
    assert capsys.readouterr().err == (
        f"error: {bad} is neither a backup folder nor a readable .zip file "
        "(damaged or incomplete?); nothing was changed.\n"
    )
    assert (
        main(["--db", str(cli_db), "export", "people", "--output", str(tmp_path / "no/x.csv")]) == 2
    )
    assert capsys.readouterr().err == (
        f"error: Could not write {tmp_path / 'no/x.csv'}: No such file or directory. "
        "Nothing was written.\n"
    )


def test_a_page_shows_a_storage_fault_as_one_line(tiny_template, tmp_path, monkeypatch):
    """A query of the Overview that cannot spill to a full disk: one line, no traceback."""
    path = tmp_path / "page.duckdb"
    shutil.copy(tiny_template, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    monkeypatch.chdir(ROOT)
    spill = 'IO Error: Could not write file "/tmp/duckdb_temp_storage-0.tmp"'

    def disk_full(*args):
        raise duckdb.IOException(f"{spill}: {FULL}\n\nLINE 1: SELECT ...")

    monkeypatch.setattr(leadership, "leadership_kpis", disk_full)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    forget(path)
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [
        f"The database could not complete the operation: {spill}: {FULL}. Nothing was changed."
    ]
