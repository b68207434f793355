"""Faults: a process killed in the middle of an import leaves the database exactly as it was."""

import os
import shutil
import signal
import subprocess
import sys

import pandas as pd

from lib.store.db import Database
from tests.conftest import ROOT

# Runs an import that stops inside its transaction (just before the audit row) and waits
# there to be killed.
IMPORT_AND_HANG = """
import signal, sys
from lib import access
from lib.store.db import Database
from lib.io.ingest import import_file

db = Database(sys.argv[1])
original = db.audit

def hang(action, **kwargs):
    if action == "import":
        print("inside the transaction", flush=True)
        signal.pause()
    return original(action, **kwargs)

db.audit = hang
import_file(db, access.Viewer("curator", email="c@bank.example"), "people", sys.argv[2],
            mode="strict")
"""


def test_killed_import_leaves_the_database_unchanged(tiny_template, tmp_path):
    path = tmp_path / "crash.duckdb"
    shutil.copy(tiny_template, path)
    before = Database(path)
    checksums = before.table_checksums()
    before.close()
    upload = tmp_path / "people.csv"
    pd.DataFrame(
        {"person_id": [f"K{i:05d}" for i in range(5000)], "name": ["Someone"] * 5000}
    ).to_csv(upload, index=False)
    worker = subprocess.Popen(
        [sys.executable, "-c", IMPORT_AND_HANG, str(path), str(upload)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert worker.stdout.readline().strip() == "inside the transaction"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    reopened = Database(path)
    assert reopened.table_checksums() == checksums
    assert reopened.scalar("SELECT count(*) FROM people WHERE person_id LIKE 'K%'") == 0
    reopened.close()
