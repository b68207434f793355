"""What the Expertise map views share: headers in the reader's language and the map's tables."""

import pandas as pd
import streamlit as st

from pages.components import ui
from pages.components.ui import t


def shown(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The chosen columns under their headers in the user's language."""
    out = frame[columns].copy()
    for column in out.select_dtypes(include="datetime").columns:
        out[column] = out[column].dt.date
    if "status" in out:
        out["status"] = out["status"].map(lambda s: t(f"status.{s}") if pd.notna(s) else s)
    if "source" in out:
        out["source"] = out["source"].map(lambda s: t(f"map.source_{s}") if pd.notna(s) else s)
    return out.rename(columns={c: t(f"map.col_{c}") for c in columns})


PERCENT = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)


def table(frame: pd.DataFrame, name: str, *, key: str | None = None, **select) -> None:
    """A table with its CSV and Excel downloads."""
    config = {t("map.col_stale_share"): PERCENT}
    st.dataframe(frame, hide_index=True, column_config=config, key=key, **select)
    ui.downloads(frame, name)
