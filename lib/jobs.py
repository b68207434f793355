"""Command-line jobs run by the app that holds the database (DuckDB lets one process write).

The running app listens on a Unix socket beside the database file, readable and writable by
its own user only, and checks the peer's user id as well. The command line, finding that
socket answered, sends its parsed command (with absolute file paths and its role) as one JSON
line and prints the app's one-line JSON answer: exit code, standard output and error. The app
runs the same command functions, so the same role rules and audit apply; one job at a time,
the next waits its turn up to the wait it asked for, then is refused with a sentence; writes
are serialised with the pages' own writes by the database's write lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lib import logs
from lib.errors import Refusal

PROTOCOL = 1
MAX_REQUEST_BYTES = 1 << 20
# Unix socket paths are limited to 107 bytes on Linux.
MAX_SOCKET_PATH = 107
LOG = logs.logger("jobs")

Runner = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Running:
    """The job in progress, for the sentence a waiting job gets."""

    command: str
    actor: str
    started: datetime


def answer(exit_code: int, stdout: str = "", stderr: str = "") -> dict[str, Any]:
    return {"protocol": PROTOCOL, "exit": exit_code, "stdout": stdout, "stderr": stderr}


def refused(exc: Exception) -> dict[str, Any]:
    return answer(2, stderr=f"error: {' '.join(str(exc).split())}\n")


def _peer_uid(conn: socket.socket) -> tuple[int, int]:
    """(pid, uid) of the process at the other end of a Unix socket."""
    raw = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", raw)
    return pid, uid


def _read_line(conn: socket.socket, limit: int) -> bytes:
    data = bytearray()
    while not data.endswith(b"\n"):
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        data += chunk
        if len(data) > limit:
            raise Refusal("ops.err_job_too_large")
    return bytes(data)


class JobListener:
    """The app's end: accepts jobs on `path` and hands each to `run`, one at a time."""

    def __init__(self, path: Path, run: Runner):
        self.path = Path(path)
        self.run = run
        self.running: Running | None = None
        self._slot = threading.Lock()
        self._server: socket.socket | None = None

    def start(self) -> JobListener:
        """Bind the socket (owner-only) and accept jobs on a background thread. A socket left by
        a process that died is replaced; one another process still answers on is an error."""
        hidden = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
        if len(os.fsencode(hidden)) > MAX_SOCKET_PATH:
            raise Refusal("ops.err_job_socket_long", path=str(self.path))
        if self.path.exists():
            if is_listening(self.path):
                raise Refusal("ops.err_job_socket_taken", path=str(self.path))
            self.path.unlink()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(hidden))
        os.chmod(hidden, 0o600)
        os.replace(hidden, self.path)
        server.listen(16)
        self._server = server
        threading.Thread(target=self._accept, name="job-listener", daemon=True).start()
        LOG.info("taking jobs on %s", self.path)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        with contextlib.suppress(OSError):
            self.path.unlink()

    def _accept(self) -> None:
        while self._server is not None:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), name="job", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            reply = self._reply(conn)
            if reply is not None:
                with contextlib.suppress(OSError):
                    conn.sendall(json.dumps(reply).encode("utf-8") + b"\n")

    def _reply(self, conn: socket.socket) -> dict[str, Any] | None:
        """The answer to one connection; None for a probe that only checks someone listens."""
        pid, uid = _peer_uid(conn)
        if uid not in {os.getuid(), 0}:
            LOG.warning("job refused: peer pid %d runs as uid %d", pid, uid)
            return refused(Refusal("ops.err_job_foreign_user"))
        try:
            data = _read_line(conn, MAX_REQUEST_BYTES)
        except Refusal as exc:
            return refused(exc)
        except OSError:
            return None
        return self._handle(data, pid) if data.strip() else None

    def _handle(self, data: bytes, pid: int) -> dict[str, Any]:
        try:
            request = json.loads(data)
            if not isinstance(request, dict) or request.get("protocol") != PROTOCOL:
                raise Refusal("ops.err_job_request")
            command = str(request.get("args", {}).get("command"))
            actor = f"cli:{request.get('args', {}).get('role')}"
            wait = max(0.0, float(request.get("wait", 0)))
        except (ValueError, TypeError, AttributeError) as exc:
            LOG.warning("job refused from pid %d: %s", pid, exc)
            return refused(exc if isinstance(exc, Refusal) else Refusal("ops.err_job_request"))
        if not self._slot.acquire(timeout=wait):
            busy = self.running
            LOG.info("job %s by %s refused after %.0f s: %s busy", command, actor, wait, busy)
            return refused(
                Refusal(
                    "ops.err_job_busy",
                    command=busy.command if busy else "?",
                    actor=busy.actor if busy else "?",
                    since=busy.started.strftime("%H:%M:%S") if busy else "?",
                    seconds=round(wait),
                )
            )
        started = time.perf_counter()
        self.running = Running(command, actor, datetime.now())
        try:
            LOG.info("job %s by %s (pid %d) started", command, actor, pid)
            reply = self.run(request["args"])
        except Exception:
            LOG.exception("job %s by %s failed", command, actor)
            reply = refused(Refusal("ops.err_job_failed"))
        finally:
            self.running = None
            self._slot.release()
        LOG.info(
            "job %s by %s finished: exit %s in %.2f s",
            command,
            actor,
            reply.get("exit"),
            time.perf_counter() - started,
        )
        return reply


def is_listening(path: Path) -> bool:
    """Whether an app answers on this socket (a file left by a dead process does not)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(5)
    try:
        probe.connect(str(path))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def hand_over(path: Path, args: dict[str, Any], wait_s: float, timeout_s: float):
    """Send a job to the app listening on `path`; its answer, or None when no app listens
    there (the command line then opens the database itself)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(10)
    try:
        conn.connect(str(path))
    except OSError:
        conn.close()
        return None
    with conn:
        request = {"protocol": PROTOCOL, "args": args, "wait": wait_s}
        conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
        conn.settimeout(wait_s + timeout_s)
        try:
            data = _read_line(conn, 1 << 31)
        except TimeoutError as exc:
            raise Refusal("ops.err_job_no_answer", seconds=round(wait_s + timeout_s)) from exc
    try:
        reply = json.loads(data)
        return {k: reply[k] for k in ("exit", "stdout", "stderr")}
    except (ValueError, KeyError, TypeError) as exc:
        raise Refusal("ops.err_job_no_answer", seconds=round(wait_s + timeout_s)) from exc
