"""Interviews: what the in-depth interviews found — themes and codes by segment, barriers
named together, sentiment, skills named — and, for curators, the quotes themselves."""

import pandas as pd
import plotly.express as px
import streamlit as st

from lib import access, formatting, i18n
from lib.access import AccessDenied
from lib.formatting import Format
from lib.insights import interview_skills, interviews
from lib.io import presentation
from pages.components import tables, ui
from pages.components.kpis import Tile, kpi_row
from pages.components.tables import Columns
from pages.components.ui import t

SHARE_SCALE = "Blues"
SENTIMENT_SCALE = "RdBu"
PERCENT_TEXT = ".0%"
SIGNED_TEXT = "+.2f"

viewer = ui.page_viewer("interviews")
db = ui.database()
filters = ui.filters()
restricted = not access.can(viewer, "see_small_segments")
smallest = interviews.min_interviews(db)


# -- labels in the reader's language --------------------------------------------------------
def known(key: str, fallback: str) -> str:
    """The translation of `key`, or `fallback` for values that come from imported data."""
    return t(key) if key in i18n.catalogue(ui.lang()) else fallback


def code_name(code) -> str:
    return known(f"interviews.code_{code}", str(code).replace("_", " "))


def theme_name(theme) -> str:
    return known(f"interviews.theme_{theme}", str(theme))


def segment_name(dimension: str | None, segment) -> str:
    """Role and tenure segments from the locale, waves as 'Wave N', departments as named."""
    value = str(segment)
    if value in (interviews.OTHER, interviews.UNKNOWN, interviews.ALL):
        return t(f"interviews.segment_{value}")
    if dimension == "wave":
        return t("filters.wave_value", wave=value)
    prefix = {"role": "seg", "tenure": "tenure"}.get(dimension)
    return known(f"interviews.{prefix}_{value}", value) if prefix else value


def labelled(frame: pd.DataFrame, dimension: str | None) -> pd.DataFrame:
    """Theme, code and segment values shown in the reader's language (for the charts)."""
    return presentation.labelled(frame, columns(dimension).view(frame.columns))


def columns(dimension: str | None) -> Columns:
    """The page's columns: headers under `interviews.col_`, codes, themes and segments named,
    sentiment signed, shares as bars, dates for the reader."""
    return Columns(
        "interviews.col_",
        formats={
            "sentiment": Format.SIGNED2,
            "mean_sentiment": Format.SIGNED2,
            **dict.fromkeys(("conducted_on", "date"), Format.DATE),
        },
        codes={
            "code": code_name,
            "code_a": code_name,
            "code_b": code_name,
            "theme": theme_name,
            "segment": lambda s: segment_name(dimension, s),
        },
    )


def table(frame: pd.DataFrame, name: str, dimension: str | None = None) -> None:
    """A readable table with CSV and Excel downloads of the same rows."""
    tables.table(frame, name, columns(dimension), progress=("share",), widths={"quote": "large"})


# -- sections --------------------------------------------------------------------------------
def themes_section(dimension: str) -> None:
    sizes = ui.cached(interviews.segment_sizes, db, viewer, filters, dimension)
    themes = ui.cached(interviews.theme_frequency, db, viewer, filters, dimension)
    codes = ui.cached(interviews.code_frequency, db, viewer, filters, dimension)
    left, right = st.columns([1, 2])
    with left:
        st.subheader(t("interviews.segment_sizes"))
        shown = labelled(sizes, dimension)
        fig = px.bar(
            shown,
            x="interviews",
            y="segment",
            orientation="h",
            text="interviews",
            color_discrete_sequence=ui.PALETTE,
            labels={"interviews": t("interviews.col_interviews"), "segment": ""},
        )
        fig.update_yaxes(categoryorder="total ascending")
        st.plotly_chart(ui.style(fig, 320), key="segment_sizes")
    with right:
        st.subheader(t("interviews.theme_chart"))
        shown = labelled(themes, dimension)
        fig = px.bar(
            shown,
            x="theme",
            y="share",
            color="segment",
            barmode="group",
            color_discrete_sequence=ui.PALETTE,
            labels={
                "theme": "",
                "share": t("interviews.col_share"),
                "segment": t("interviews.col_segment"),
            },
        )
        fig.update_yaxes(tickformat=PERCENT_TEXT, range=[0, 1])
        st.plotly_chart(ui.style(fig, 320), key="theme_chart")

    st.subheader(t("interviews.code_chart"))
    st.caption(t("interviews.code_caption"))
    grid = labelled(codes, dimension)
    grid["row"] = grid["theme"] + " · " + grid["code"]
    order = list(dict.fromkeys(grid["row"]))
    matrix = grid.pivot(index="row", columns="segment", values="share").reindex(order)
    matrix = matrix[list(dict.fromkeys(grid["segment"]))]
    fig = px.imshow(
        matrix,
        text_auto=PERCENT_TEXT,
        aspect="auto",
        color_continuous_scale=SHARE_SCALE,
        zmin=0,
        zmax=1,
        labels={"x": "", "y": "", "color": t("interviews.col_share")},
    )
    st.plotly_chart(ui.style(fig, 140 + 26 * len(matrix)), key="code_heatmap")
    with st.expander(t("interviews.code_table")):
        table(codes, "interview_codes", dimension)


def barriers_section() -> None:
    pairs = ui.cached(interviews.barrier_cooccurrence, db, viewer, filters)
    if pairs.empty:
        st.info(t("common.no_data"))
        return
    st.subheader(t("interviews.barrier_heatmap"))
    st.caption(t("interviews.barrier_caption"))
    matrix = interviews.cooccurrence_matrix(pairs)
    names = [code_name(c) for c in matrix.index]
    fig = px.imshow(
        matrix.to_numpy(),
        x=names,
        y=names,
        text_auto=True,
        aspect="auto",
        color_continuous_scale=SHARE_SCALE,
        labels={"x": "", "y": "", "color": t("interviews.col_interviews")},
    )
    st.plotly_chart(ui.style(fig, 440), key="barrier_heatmap")
    st.subheader(t("interviews.barrier_pairs"))
    table(pairs[pairs.code_a != pairs.code_b], "barrier_pairs")


def sentiment_section(dimension: str) -> None:
    frame = ui.cached(interviews.sentiment_by_segment, db, viewer, filters, dimension)
    if frame.empty:
        st.info(t("common.no_data"))
        return
    st.subheader(t("interviews.sentiment_chart"))
    shown = labelled(frame, dimension)
    matrix = shown.pivot(index="theme", columns="segment", values="mean_sentiment")
    matrix = matrix.reindex(list(dict.fromkeys(shown["theme"])))[
        list(dict.fromkeys(shown["segment"]))
    ]
    fig = px.imshow(
        matrix,
        text_auto=SIGNED_TEXT,
        aspect="auto",
        color_continuous_scale=SENTIMENT_SCALE,
        zmin=-1,
        zmax=1,
        labels={"x": "", "y": "", "color": t("interviews.col_mean_sentiment")},
    )
    st.plotly_chart(ui.style(fig, 320), key="sentiment_heatmap")
    table(frame, "interview_sentiment", dimension)


def skills_section() -> None:
    st.caption(t("interviews.skills_caption"))
    if restricted:
        st.caption(t("interviews.skills_hidden_note", min=smallest))
    frame = ui.cached(interviews.skills_mentioned, db, viewer, filters)
    if frame.empty:
        st.info(t("common.no_data"))
    else:
        table(frame, "interview_skills")
    if not access.can(viewer, "edit_data"):
        return
    if st.button(t("interviews.sync"), help=t("interviews.sync_help"), key="sync_skills"):
        try:
            done = interview_skills.sync_interview_skills(db, viewer)
        except (ValueError, AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.success(t("interviews.sync_done", **done))


def quotes_section(dimension: str) -> None:
    st.caption(t("interviews.quotes_caption"))
    facets = ui.cached(interviews.quote_facets, db, viewer)
    sizes = ui.cached(interviews.segment_sizes, db, viewer, filters, dimension)
    text = st.text_input(
        t("interviews.search"), placeholder=t("interviews.search_placeholder"), key="quote_text"
    )
    first, second, third = st.columns(3)
    themes = first.multiselect(
        t("interviews.themes_filter"), facets["themes"], format_func=theme_name, key="q_themes"
    )
    codes = second.multiselect(
        t("interviews.codes_filter"), facets["codes"], format_func=code_name, key="q_codes"
    )
    segments = third.multiselect(
        t("interviews.segments_filter"),
        list(sizes["segment"]),
        format_func=lambda s: segment_name(dimension, s),
        key="q_segments",
    )
    found = ui.cached(
        interviews.quotes,
        db,
        viewer,
        filters,
        text=text,
        themes=tuple(themes),
        codes=tuple(codes),
        dimension=dimension,
        segments=tuple(segments),
    )
    st.caption(t("interviews.quotes_found", count=ui.fmt_number(len(found))))
    table(found, "interview_quotes", dimension)


# -- the page --------------------------------------------------------------------------------
st.title(t("interviews.title"))
st.caption(t("interviews.caption"))
if interviews.filters_ignored(viewer, filters):
    st.info(t("interviews.whole_club_only", minimum=smallest), icon=":material/shield:")
if restricted:
    st.info(t("interviews.privacy_note", min=smallest))

summary = ui.cached(interviews.interview_summary, db, viewer, filters)
if not summary["interviews"]:
    st.info(t("interviews.none_restricted", min=smallest) if restricted else t("interviews.none"))
    st.stop()

kpi_row(
    [
        Tile(t("interviews.interviews"), ui.fmt_number(summary["interviews"])),
        Tile(
            t("interviews.consented"),
            ui.fmt_number(summary["consented"]),
            t("interviews.consented_help"),
        ),
        Tile(t("interviews.findings"), ui.fmt_number(summary["findings"])),
        Tile(
            t("interviews.mean_sentiment"),
            formatting.signed(summary["mean_sentiment"], ui.lang(), 2),
            t("interviews.mean_sentiment_help"),
        ),
    ]
)
st.caption(t("interviews.period_note"))

dimension = st.segmented_control(
    t("interviews.segment_by"),
    interviews.DIMENSIONS,
    default="role",
    required=True,
    format_func=lambda d: t(f"interviews.dim_{d}"),
    key="segment_by",
    bind="query-params",
)

names = ["themes", "barriers", "sentiment", "skills"]
if access.can(viewer, "see_interview_text"):
    names.append("quotes")
tabs = dict(zip(names, st.tabs([t(f"interviews.tab_{n}") for n in names]), strict=True))
with tabs["themes"]:
    themes_section(dimension)
with tabs["barriers"]:
    barriers_section()
with tabs["sentiment"]:
    sentiment_section(dimension)
with tabs["skills"]:
    skills_section()
if "quotes" in tabs:
    with tabs["quotes"]:
        quotes_section(dimension)
