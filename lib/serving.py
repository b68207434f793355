"""What the serving writer runs besides its pages, started once per process: the listener that
takes command-line jobs, and the publisher of snapshots for replicas."""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from lib import cli, deployment, logs
from lib.deployment import Deployment
from lib.errors import Refusal
from lib.jobs import JobListener
from lib.store.db import STORAGE_ERRORS, Database, open_database
from lib.store.snapshots import Publisher

LOG = logs.logger("serving")
_started: dict[Path, Serving] = {}
_lock = threading.Lock()


@dataclass
class Serving:
    db: Database
    listener: JobListener | None = None
    publisher: Publisher | None = None

    def stop(self) -> None:
        """At the server's end: no more jobs, a last snapshot, the write-ahead log folded into
        the file."""
        if self.listener is not None:
            self.listener.stop()
        if self.publisher is not None:
            self.publisher.stop()
        try:
            self.db.checkpoint()
        except STORAGE_ERRORS as exc:
            logs.fault("serving", exc)


def start_writer(db: Database, setup: Deployment) -> Serving:
    """Take jobs on the socket beside the database and publish snapshots, as configured; once
    per database and process, whoever asks first (the server's start or the first page)."""
    with _lock:
        if db.path not in _started:
            _started[db.path] = _start(db, setup)
        return _started[db.path]


def start_process() -> Serving | None:
    """At the server's start (serve.py): the writer opens its database and starts taking jobs
    before anyone opens a page. A database that cannot be opened is logged; the pages then say
    why."""
    setup = deployment.current()
    if setup.is_replica:
        LOG.info("read-only replica of %s", setup.replica_of)
        return None
    try:
        db = open_database(setup.database, wait_s=setup.open_wait_s)
    except STORAGE_ERRORS as exc:
        logs.fault("serving", exc)
        return None
    return start_writer(db, setup)


def _start(db: Database, setup: Deployment) -> Serving:
    """A listener that cannot start is logged and the app serves without it."""
    serving = Serving(db)
    if setup.jobs:
        listener = JobListener(setup.job_socket, partial(cli.run_job, db.path))
        try:
            serving.listener = listener.start()
        except (Refusal, OSError) as exc:
            LOG.error("no jobs from the command line: %s", exc)
    if setup.snapshots is not None:
        serving.publisher = Publisher(db, setup.snapshots, setup.snapshot_delay_s).start()
        LOG.info("publishing snapshots to %s", setup.snapshots)
    atexit.register(serving.stop)
    return serving
