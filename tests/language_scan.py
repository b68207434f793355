"""Reading a rendered page as a person would: every visible text of an AppTest run, and the
problems a reader of that language would trip over."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

NONE = re.compile(r"(?<![\w-])(None|nan|NaN|NaT|<NA>)(?![\w-])")
RAW_CODE = re.compile(
    r"(?<![\w/.@-])[a-z]+(?:_[a-z0-9]+)+(?![\w/.@-])|\b[a-z]+:[a-z_]+\b"
    r"|\b[A-Z]\w*\(\w+=|<class |object at 0x"
)
LATIN_WORD = re.compile(r"(?<![\w@./-])[A-Za-z][A-Za-z'-]{2,}(?![\w@./-])")
# Streamlit Markdown directives (a badge, an icon) are markup, not text.
MARKUP = re.compile(r":[a-z]+-badge\[|:material/\w+:")
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
# A web address (an evidence link) is an address, not words of any language.
URL = re.compile(r"https?://\S+")
# Streamlit's Markdown directives draw an icon or a coloured badge, not their words.
DIRECTIVE = re.compile(r":material/[a-z_]+:|:[a-z]+-(?:badge|background)\[|:[a-z]+\[")
# Words a Russian page may show in Latin letters: abbreviations, formats, product and proper
# names the bank writes in Latin.
LATIN_ALLOWED = {
    "IT",
    "HR",
    "AI",
    "ML",
    "CSV",
    "Excel",
    "PDF",
    "HTML",
    "URL",
    "ID",
    "ESCO",
    "OIDC",
    "API",
    "iCalendar",
    "ics",
    "xlsx",
    "xlsm",
    "tsv",
    "txt",
    "UTF",
    "cp1251",
    "MB",
    "KPI",
    "CFP",
    "Python",
    "Kafka",
    "React",
    "Java",
    "SQL",
    "Kubernetes",
    "MLOps",
    "DevOps",
    "DevSecOps",
    "Android",
    "iOS",
    "Go",
    "Rust",
    "Figma",
    "PowerPoint",
    "BI",
    "UX",
    "UI",
    "PR",
    "SMM",
    "ESG",
    "IFRS",
    "Basel",
    "Agile",
    "Scrum",
    "Data",
    "Science",
    "DWH",
    "ETL",
    "Plotly",
    "Streamlit",
    "DuckDB",
    "Chromium",
    "OKR",
    "SLA",
    "CRM",
    "ERP",
    "B2B",
    "B2C",
    "Open",
    "GitHub",
    "GitLab",
    "Jira",
    "Confluence",
    "Teams",
    "Zoom",
    "Telegram",
    "Habr",
    "vc",
    "RBC",
    "FinTech",
    "Fintech",
}


def _arrow_strings(data: bytes, labelled: set[str] = frozenset()) -> Iterator[str]:
    """The strings of an Arrow table: its column names (those the config does not relabel)
    and its text cells."""
    if not data:
        return
    table = pa.ipc.open_stream(data).read_all()
    yield from (str(name) for name in table.column_names if str(name) not in labelled)
    for column in table.columns:
        for value in column.to_pylist():
            if isinstance(value, str):
                yield value


def _shown_options(values, column: dict | None):
    """A choice column of an editor shows each stored value under its option's label."""
    options = ((column or {}).get("type_config") or {}).get("options") or []
    labels = {o["value"]: o["label"] for o in options if isinstance(o, dict) and "label" in o}
    if not labels:
        return values

    def shown(value):
        if isinstance(value, str):
            return labels.get(value, value)
        if hasattr(value, "__iter__"):  # a multiselect cell: its chosen options
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return value

    return values.map(shown)


def _grid_format(column: dict | None) -> str | None:
    """How the grid prints a fractional number under a column's number format: None when it
    has none (the raw float), a sample with a decimal point for a printf format with decimals,
    "" for formats the grid writes in the reader's locale or without decimals."""
    fmt = ((column or {}).get("type_config") or {}).get("format")
    if not fmt:
        return None
    if re.search(r"%[^a-z%]*\.[1-9]\d*f", fmt):
        return "1.5"
    return ""


def _dataframe_texts(element) -> Iterator[str]:
    proto = element.proto
    config = json.loads(proto.columns or "{}") if getattr(proto, "columns", "") else {}
    for column in config.values():
        if isinstance(column, dict) and column.get("label"):
            yield column["label"]
    labelled = {
        name for name, column in config.items() if isinstance(column, dict) and column.get("label")
    }
    arrow = proto.arrow_data
    styled = arrow.styler.display_values if arrow.HasField("styler") else b""
    if styled:
        yield from _arrow_strings(styled, labelled)
        return
    frame = element.value
    order = list(getattr(proto, "column_order", []) or [])
    if order:  # columns left out of the order are not drawn
        frame = frame[[c for c in frame.columns if str(c) in order]]
    for column in frame.columns:
        if str(column) not in labelled:
            yield str(column)
        values = _shown_options(frame[column], config.get(str(column)))
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            if values.isna().any() and not values.isna().all():
                yield "None"  # Streamlit writes a missing text cell as "None"
            yield from (str(v) for v in values.dropna() if isinstance(v, str))
        elif values.dtype.kind == "f" and (values.dropna() % 1 != 0).any():
            shown = _grid_format(config.get(str(column)))
            if shown is None:
                yield f"{values.dropna().iloc[0]!r}"  # unformatted: "252.876…" on screen
            else:
                yield shown


def visible_texts(at: AppTest) -> Iterator[str]:
    """Every piece of text a person sees on the page (not the sidebar's data-driven filters)."""
    main = at.main
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
    ):
        for element in main.get(kind):
            yield str(element.value)
    for metric in main.get("metric"):
        yield from (str(metric.label), str(metric.value), str(metric.delta or ""))
        yield from (str(metric.proto.help), str(metric.proto.delta_description))
    for link in main.get("page_link"):
        yield str(link.proto.label)
    for kind in (
        "button",
        "download_button",
        "checkbox",
        "toggle",
        "text_input",
        "text_area",
        "number_input",
        "date_input",
        "selectbox",
        "multiselect",
        "radio",
        "slider",
        "select_slider",
        "segmented_control",
        "pills",
    ):
        for widget in main.get(kind):
            label = getattr(widget, "label", "")
            if label:
                yield str(label)
            yield str(getattr(widget, "help", "") or "")
            yield str(getattr(widget, "placeholder", "") or "")
            for option in getattr(widget, "options", []) or []:
                yield str(option)
    for tab in at.tabs:
        yield str(tab.label)
    for expander in at.expander:
        yield str(expander.label)
    for frame in main.get("dataframe"):
        yield from _dataframe_texts(frame)
    for chart in main.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec.get("layout", {})
        for axis in ("xaxis", "yaxis"):
            title = layout.get(axis, {}).get("title", {})
            if isinstance(title, dict) and title.get("text"):
                yield title["text"]
            yield from (str(t) for t in layout.get(axis, {}).get("ticktext", []) or [])
        for trace in spec.get("data", []):
            if trace.get("name"):
                yield str(trace["name"])


def problems(at: AppTest, lang: str, allowed_latin: set[str] = frozenset()) -> list[str]:
    """What a reader would trip over: a literal None/nan, a raw code, and on a Russian page an
    English word outside the allowed names or a number with a decimal point."""
    found = []
    for text in visible_texts(at):
        text = URL.sub(" ", DIRECTIVE.sub(" ", MARKUP.sub("", text)))
        if NONE.search(text):
            found.append(f"blank shown as a word: {text[:80]!r}")
        code = RAW_CODE.search(text)
        if code:
            found.append(f"raw code {code.group(0)!r}: {text[:80]!r}")
        if lang == "ru":
            for word in LATIN_WORD.findall(text):
                if word not in LATIN_ALLOWED and word not in allowed_latin:
                    found.append(f"English word {word!r}: {text[:80]!r}")
            number = DECIMAL_POINT.search(text)
            if number and number.group(0) not in allowed_latin:  # part of a stored name
                found.append(f"decimal point {number.group(0)!r}: {text[:80]!r}")
    return sorted(set(found))
