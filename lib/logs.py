"""One logging configuration for the app, the CLI and the jobs.

Level from $EXPERTISE_LOG_LEVEL (default INFO), one line per event on stderr, the logger names
say where (`expertise.access`, `expertise.io`, `expertise.jobs` …). Events name the actor by
e-mail and the things acted on by id or count — never names, workload, interview text or cell
values of personal data.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

LEVEL_VAR = "EXPERTISE_LOG_LEVEL"
ROOT_LOGGER = "expertise"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _StandardError(logging.StreamHandler):
    """Writes to whatever standard error is at the moment of the event."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        """The stream is always the current standard error."""


def configure(default: str = "INFO") -> logging.Logger:
    """Set up the product's logger once per process (repeated calls change nothing). The
    command line passes WARNING, so that its own output stays the answer unless
    $EXPERTISE_LOG_LEVEL asks for more."""
    root = logging.getLogger(ROOT_LOGGER)
    if getattr(root, "_configured", False):
        return root
    root.setLevel(_level(default))
    handler = _StandardError()
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.propagate = False
    root._configured = True  # type: ignore[attr-defined]
    return root


def _level(default: str) -> int:
    chosen = os.environ.get(LEVEL_VAR, default).strip().upper()
    return logging.getLevelNamesMapping().get(chosen, logging.INFO)


@contextmanager
def command_line() -> Iterator[None]:
    """While a command runs: its output is its answer, so below WARNING nothing is logged unless
    $EXPERTISE_LOG_LEVEL asks (also when an app in the same process configured INFO)."""
    root = configure(default="WARNING")
    saved = root.level
    root.setLevel(_level("WARNING"))
    try:
        yield
    finally:
        root.setLevel(saved)


def logger(area: str) -> logging.Logger:
    """The logger of one area of the product, e.g. `logger("io")`; the entry points (app.py,
    the command line) call `configure`."""
    return logging.getLogger(f"{ROOT_LOGGER}.{area}")


def refusal(area: str, exc: BaseException) -> None:
    """A refusal shown to someone: its message key only (its parameters may carry the values
    of a file or a person)."""
    logger(area).info("refused: %s", getattr(exc, "key", type(exc).__name__))


def fault(area: str, exc: BaseException) -> None:
    """A storage or file fault shown to someone, as one line."""
    text = str(exc).strip()
    logger(area).error("fault: %s", text.splitlines()[0] if text else type(exc).__name__)
