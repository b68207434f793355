"""How this process is deployed, from its environment: the writer (the one process that opens
the database file read-write, takes jobs from the command line and publishes snapshots) or a
read-only replica serving the newest published snapshot.

| variable | meaning |
|---|---|
| EXPERTISE_DB | the database file of the writer |
| EXPERTISE_SNAPSHOTS | the writer publishes a snapshot here after committed changes |
| EXPERTISE_SNAPSHOT_DELAY | seconds of quiet before a snapshot is published (default 2) |
| EXPERTISE_REPLICA_OF | this process is a replica of the snapshots in that directory |
| EXPERTISE_WRITER_URL | where a replica sends people who want to change data |
| EXPERTISE_JOBS | `off`: the writer takes no jobs from the command line |
| EXPERTISE_JOB_SOCKET | the jobs socket (default: next to the database, `<file>.jobs.sock`) |
| EXPERTISE_JOB_WAIT | seconds a job waits for the one before it (default 60) |
| EXPERTISE_JOB_TIMEOUT | seconds the command line waits for a job's answer (default 3600) |
| EXPERTISE_OPEN_WAIT | seconds the first page waits for a command line holding the file (10) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lib.store.db import resolve_path

OFF = {"0", "off", "false", "no"}


def _seconds(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


def _directory(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else None


def job_socket_for(database: Path) -> Path:
    """The jobs socket of a database file: beside it, unless $EXPERTISE_JOB_SOCKET says."""
    explicit = os.environ.get("EXPERTISE_JOB_SOCKET", "").strip()
    if explicit:
        return Path(explicit).expanduser().resolve()
    return database.with_name(f"{database.name}.jobs.sock")


@dataclass(frozen=True)
class Deployment:
    database: Path
    snapshots: Path | None
    replica_of: Path | None
    writer_url: str
    jobs: bool
    job_socket: Path
    job_wait_s: float
    job_timeout_s: float
    snapshot_delay_s: float
    open_wait_s: float

    @property
    def is_replica(self) -> bool:
        return self.replica_of is not None


def current(database: str | os.PathLike | None = None) -> Deployment:
    """The deployment this process runs in, read from its environment now."""
    path = resolve_path(database)
    return Deployment(
        database=path,
        snapshots=_directory("EXPERTISE_SNAPSHOTS"),
        replica_of=_directory("EXPERTISE_REPLICA_OF"),
        writer_url=os.environ.get("EXPERTISE_WRITER_URL", "").strip(),
        jobs=os.environ.get("EXPERTISE_JOBS", "on").strip().lower() not in OFF,
        job_socket=job_socket_for(path),
        job_wait_s=_seconds("EXPERTISE_JOB_WAIT", 60.0),
        job_timeout_s=_seconds("EXPERTISE_JOB_TIMEOUT", 3600.0),
        snapshot_delay_s=_seconds("EXPERTISE_SNAPSHOT_DELAY", 2.0),
        open_wait_s=_seconds("EXPERTISE_OPEN_WAIT", 10.0),
    )
