"""Real app servers for tests: `streamlit run` on a free port, waited on through the health
endpoint, its log kept in a file; and the command line run as a cron job would run it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.conftest import ROOT

START_LIMIT_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, limit_s: float = 120, what: str = "condition") -> None:
    """Poll a condition until it holds; fail with `what` when the limit passes."""
    deadline = time.monotonic() + limit_s
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {limit_s} s")
        pause.wait(0.1)


class Server:
    """One `streamlit run` process; `url`, `log()` and `stop()`."""

    def __init__(self, script: str, env: dict[str, str], log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env={**os.environ, "EXPERTISE_DEMO_TIER": "none", **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.healthy, START_LIMIT_S, f"{script} answering on {self.url}")

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited early:\n{self.log()}")
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self._log.close()


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None):
    """The command line in its own process, from `cwd`, as cron runs it."""
    return subprocess.run(
        [sys.executable, "-m", "lib.cli", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


def kpi(result, key: str) -> float:
    """A headline metric from `report kpis --format json` output."""
    rows = json.loads(result.stdout)
    return next(row["raw_value"] for row in rows if row["metric"] == key)
