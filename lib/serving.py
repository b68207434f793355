"""What the serving writer runs besides its pages, started once per process: the listener that
takes command-line jobs, and the publisher of snapshots for replicas."""

from __future__ import annotations

import atexit
from dataclasses import dataclass
from functools import partial

from lib import cli, logs
from lib.deployment import Deployment
from lib.errors import Refusal
from lib.jobs import JobListener
from lib.store.db import Database
from lib.store.snapshots import Publisher

LOG = logs.logger("serving")


@dataclass
class Serving:
    listener: JobListener | None = None
    publisher: Publisher | None = None

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        if self.publisher is not None:
            self.publisher.stop()


def start_writer(db: Database, setup: Deployment) -> Serving:
    """Take jobs on the socket beside the database and publish snapshots, as configured. A
    listener that cannot start is logged and the app serves without it."""
    serving = Serving()
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
