"""One logging configuration for the app, the CLI and the jobs.

Level from $EXPERTISE_LOG_LEVEL (default INFO), one line per event on stderr, the logger names
say where (`expertise.access`, `expertise.io`, `expertise.jobs` …). Events name the actor by
e-mail and the things acted on by id or count — never names, workload, interview text or cell
values of personal data.
"""

from __future__ import annotations

import logging
import os

LEVEL_VAR = "EXPERTISE_LOG_LEVEL"
ROOT_LOGGER = "expertise"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure() -> logging.Logger:
    """Set up the product's logger once per process (repeated calls change nothing)."""
    root = logging.getLogger(ROOT_LOGGER)
    if getattr(root, "_configured", False):
        return root
    level = os.environ.get(LEVEL_VAR, "INFO").strip().upper()
    root.setLevel(level if level in logging.getLevelNamesMapping() else logging.INFO)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.propagate = False
    root._configured = True  # type: ignore[attr-defined]
    return root


def logger(area: str) -> logging.Logger:
    """The logger of one area of the product, e.g. `logger("io")`."""
    configure()
    return logging.getLogger(f"{ROOT_LOGGER}.{area}")
