"""Caching of core results per function, with explicit keys.

A key is made of: the function and a fingerprint of its code (editing it invalidates its
entries), the database file and its data version (every committed write, in any process,
advances it, so nobody is served an answer older than the data), the viewer's access key (the
role, never the e-mail), and the other arguments (filters, options). Each function has its own
bounded cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from typing import Any

import streamlit as st

from lib.access import Viewer
from lib.store import shared
from lib.store.db import Database

TTL_SECONDS = 3600
ENTRIES_PER_FUNCTION = 64


@cache
def _code_fingerprint(fn: Callable) -> str:
    code = getattr(fn, "__code__", None)
    if code is None:
        return ""
    digest = hashlib.sha256(code.co_code)
    digest.update(repr(code.co_consts).encode())
    return digest.hexdigest()[:12]


def key_part(value: Any) -> str:
    """What of an argument decides the answer."""
    if isinstance(value, Database):
        return f"db:{value.path}@{value.data_version()}"
    if isinstance(value, Viewer):
        return f"viewer:{value.cache_key}"
    explicit = getattr(value, "cache_key", None)
    if isinstance(explicit, str):
        return explicit
    return repr(value)


def cache_key(fn: Callable, args: tuple, kwargs: dict) -> str:
    parts = [f"{fn.__module__}.{fn.__qualname__}#{_code_fingerprint(fn)}"]
    parts += [key_part(a) for a in args]
    parts += [f"{k}={key_part(v)}" for k, v in sorted(kwargs.items())]
    return "|".join(parts)


_caches: dict[str, Callable] = {}


def _function_cache(name: str) -> Callable:
    if name not in _caches:

        def run(key: str, _fn: Callable, _args: tuple, _kwargs: dict):
            return _fn(*_args, **_kwargs)

        run.__qualname__ = f"cached[{name}]"
        _caches[name] = st.cache_data(
            ttl=TTL_SECONDS, max_entries=ENTRIES_PER_FUNCTION, show_spinner=False
        )(run)
    return _caches[name]


def cached(fn: Callable, *args: Any, **kwargs: Any):
    """Call a core function through its own cache (see the module docstring for the key)."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    return _function_cache(name)(cache_key(fn, args, kwargs), _fn=fn, _args=args, _kwargs=kwargs)


def clear_caches() -> None:
    """Drop every cached answer (after a restore, which replaces the database file), the core's
    shared results included."""
    st.cache_data.clear()
    shared.clear()
