"""Results that depend only on the data, computed once per data version and shared by every
session, page and role of the process.

`@per_data_version` memoises a core function whose first argument is the `Database`. The key
is that opening of the file, its data version (every committed write, in this process or
another, advances it) and the other arguments, so a write makes every earlier answer
unreachable; they are dropped when the first answer for the new version is stored. Callers of
a key being computed wait for it instead of computing it again. Shared results are for
everyone: a viewer is never an argument (one is refused), and the callers apply the viewer's
rights to what they get. Each caller gets its own copy of frames, so nobody changes another's.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

import pandas as pd

from lib.store.db import Database

MAX_ENTRIES = 256
Result = TypeVar("Result")

_lock = threading.Lock()
_entries: OrderedDict[tuple, Future] = OrderedDict()


def _key_part(value: Any) -> Hashable:
    """An argument as part of a key; a viewer, a database or a frame cannot be one."""
    if isinstance(value, Database | pd.DataFrame | pd.Series) or hasattr(value, "role"):
        raise TypeError(type(value))
    if isinstance(value, dict):
        return ("dict", json.dumps(value, sort_keys=True, default=str))
    if isinstance(value, list | set | frozenset):
        return (type(value).__name__, tuple(_key_part(v) for v in value))
    hash(value)
    return value


def _private(value: Any) -> Any:
    """A caller's own copy of a result: frames are copied (lazily: pandas copies on write),
    containers and dataclasses rebuilt around copies, other values are immutable."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_private(v) for v in value)
    if isinstance(value, list):
        return [_private(v) for v in value]
    if isinstance(value, dict):
        return {k: _private(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _private(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **fields)
    return value


def _store(key: tuple) -> tuple[Future, bool]:
    """The entry of a key and whether this caller must compute it; storing the first entry of
    a newer data version of a database drops that database's older ones."""
    with _lock:
        found = _entries.get(key)
        if found is not None:
            _entries.move_to_end(key)
            return found, False
        name, opening, version = key[:3]
        for old in [k for k in _entries if k[0] == name and k[1] == opening and k[2] < version]:
            del _entries[old]
        future: Future = Future()
        _entries[key] = future
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
        return future, True


def per_data_version(fn: Callable[..., Result]) -> Callable[..., Result]:
    """Share `fn(db, ...)`'s answers across callers until the data changes (module docstring)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def shared(db: Database, *args: Any, **kwargs: Any) -> Result:
        key = (
            name,
            db.opening,
            db.data_version(),
            tuple(_key_part(a) for a in args),
            tuple(sorted((k, _key_part(v)) for k, v in kwargs.items())),
        )
        future, mine = _store(key)
        if mine:
            try:
                future.set_result(fn(db, *args, **kwargs))
            except BaseException as exc:
                with _lock:
                    if _entries.get(key) is future:
                        del _entries[key]
                future.set_exception(exc)
                raise
        return _private(future.result())

    shared.computes = fn  # the function itself, uncached
    return shared


def entries() -> int:
    """How many answers are held."""
    with _lock:
        return len(_entries)


def clear() -> None:
    """Drop every shared answer (after a restore replaced the file, or to measure)."""
    with _lock:
        _entries.clear()
