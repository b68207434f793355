"""The club's situation read from the data: one tile per indicator, with its base and a link
to the page it comes from."""

import pandas as pd
import streamlit as st

from pages.components import ui
from pages.components.ui import t

SOURCE_FILES = {
    "engagement": "pages/engagement.py",
    "recruitment_gaps": "pages/recruitment_gaps.py",
}
SHARE_INDICATORS = ("dormant_share", "at_risk_share", "onboarding_conversion", "must_below_target")


def base_caption(row) -> str:
    """What a situation number is out of: '19 of 140' under a share, '60% of 140' under a
    count."""
    if row.indicator in SHARE_INDICATORS:
        return t("plan.of_base", count=ui.fmt_number(row.count), base=ui.fmt_number(row.base))
    return t("plan.share_of_base", share=ui.fmt_percent(row.value), base=ui.fmt_number(row.base))


def situation_section(frame: pd.DataFrame) -> None:
    st.subheader(t("plan.situation_heading"))
    st.caption(t("plan.situation_caption"))
    rows = list(frame.itertuples())
    for start in range(0, len(rows), 4):
        tiles = st.columns(4)
        for tile, row in zip(tiles, rows[start : start + 4], strict=False):
            with tile.container(border=True):
                if row.indicator in SHARE_INDICATORS:
                    value = ui.fmt_percent(None if pd.isna(row.value) else row.value)
                else:
                    value = ui.fmt_number(row.count)
                st.metric(
                    t(f"plan.indicator_{row.indicator}"),
                    value,
                    help=t(f"plan.indicator_{row.indicator}_help"),
                )
                if not pd.isna(row.base):
                    st.caption(base_caption(row))
                st.page_link(
                    SOURCE_FILES[row.source],
                    label=t(f"plan.source_page_{row.source}"),
                    icon=":material/arrow_forward:",
                )
