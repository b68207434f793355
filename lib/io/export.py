"""Tables out: CSV and Excel bytes with spreadsheet formulas neutralised (in values and in
headers), and files written whole or not at all."""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from lib.store.db import DatabaseError, first_line

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_575  # one sheet, less the header row


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value):
    """A list cell (Python list or the numpy array DuckDB returns) as '; '-joined text."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(map(str, value))
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for a spreadsheet: list cells flattened, formula-like text neutralised in the
    cells and in the header (a rejects file repeats the uploaded file's own column names)."""
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            out.isetitem(position, column.map(lambda v: neutralise(_cell(v))))
    out.columns = [neutralise(name) for name in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, sep: str = ",") -> bytes:
    """UTF-8 with BOM so Excel opens Cyrillic text correctly."""
    return safe_frame(frame).to_csv(index=False, sep=sep).encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    safe = safe_frame(frame)
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            safe.isetitem(position, column.dt.tz_localize(None))
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        safe.to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def write_file(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: into a temporary file beside it, renamed over
    it once complete, so a full disk leaves neither a truncated file nor a spoilt older one."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            reason = exc.strerror or first_line(exc)
            raise DatabaseError("data.err_write", path=str(path), reason=reason) from exc
        raise
