"""Data: import files with a checked column mapping, export any table or report, back up the
database and read the audit log. Curators and administrators only; lib enforces it again."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib import access, formatting, i18n
from lib.formatting import BLANK
from lib.io import backup, fileread, ingest, kinds, values
from lib.io.mapping import propose_mapping, remembered_mapping
from lib.membership import audit
from lib.membership.audit import readable_changes
from lib.store.db import Database
from pages.components import ui
from pages.components.ui import t

ENCODINGS = ("", "utf-8", "cp1251", "utf-16", "koi8-r", "cp866", "latin-1")
DELIMITERS = {
    ",": "data.delimiter_comma",
    ";": "data.delimiter_semicolon",
    "\t": "data.delimiter_tab",
}
MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
USER_ERRORS = (ValueError, access.AccessDenied)
CHANGES_SHOWN = 200
REVIEW_ORDER = ["value", "field", "column", "rows", "proposed", "reason", "decision", "mapped_to"]


def plain(text: str) -> str:
    """A file's column name as a widget label: Markdown characters escaped, shown as typed."""
    return MARKDOWN.sub(r"\\\1", text)


def columns_config(*names: str) -> dict:
    """Locale column headers for lib's machine column names."""
    return {name: st.column_config.Column(t(f"data.col_{name}")) for name in names}


# -- import ---------------------------------------------------------------------------------
PARSED_KEPT = 3  # the sheet list and two readings: switching sheets back is instant


def parsed_once(key: tuple, parse: Callable[[], object]) -> object:
    """What parsing an upload gave (its result or its refusal), kept in the session by the
    file's SHA-256 and the options: a rerun never parses the same workbook twice."""
    kept: dict = st.session_state.setdefault("data_parsed", {})
    if key not in kept:
        try:
            kept[key] = parse()
        except ValueError as exc:
            kept[key] = exc.with_traceback(None)
        while len(kept) > PARSED_KEPT:
            kept.pop(next(iter(kept)))
    return kept[key]


def read_upload(upload) -> fileread.RawTable | None:
    """The uploaded file read once per content, sheet and encoding; errors shown, not raised."""
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    options: dict[str, str | None] = {}
    if fileread.is_excel(data, upload.name):
        sheets = parsed_once(("sheets", digest), lambda: fileread.sheet_names(data))
        if isinstance(sheets, ValueError):
            ui.show_error(sheets)
            return None
        options["sheet"] = st.selectbox(t("data.sheet"), sheets, key="data_sheet")
    else:
        options["encoding"] = (
            st.selectbox(
                t("data.encoding"),
                ENCODINGS,
                format_func=lambda code: code or t("data.encoding_auto"),
                key="data_encoding",
            )
            or None
        )
    key = ("table", digest, upload.name, ui.lang(), tuple(sorted(options.items())))
    raw = parsed_once(
        key, lambda: fileread.read_table(data, upload.name, lang=ui.lang(), **options)
    )
    if isinstance(raw, ValueError):
        ui.show_error(raw)
        return None
    return raw


def file_info(raw: fileread.RawTable) -> str:
    if raw.sheet:
        detail = t("data.excel_detail", sheet=raw.sheet)
    else:
        delimiter = t(DELIMITERS.get(raw.delimiter, "data.delimiter_comma"))
        detail = t("data.csv_detail", encoding=raw.encoding, delimiter=delimiter)
    return t(
        "data.file_info",
        rows=ui.fmt_number(len(raw.frame)),
        columns=len(raw.columns),
        detail=detail,
    )


def mapping_form(
    db: Database, viewer: access.Viewer, kind: str, raw: fileread.RawTable
) -> dict[str, str | None]:
    """One selectbox per source column, pre-filled by guesses and the last mapping."""
    spec = kinds.KINDS[kind]
    proposal = propose_mapping(
        spec, raw.columns, remembered=remembered_mapping(db, kind, viewer.actor)
    )
    options = ["", *spec.names]
    required = set(spec.required)

    def label(name: str) -> str:
        if not name:
            return t("data.ignore")
        return f"{name} *" if name in required else name

    st.subheader(t("data.mapping_heading"))
    st.caption(t("data.mapping_help"))
    chosen: dict[str, str] = {}
    stamp = f"{kind}_{raw.sha256[:12]}"
    grid = st.columns(3)
    for i, column in enumerate(raw.columns):
        chosen[column] = grid[i % 3].selectbox(
            plain(column),
            options,
            index=options.index(proposal[column] or ""),
            format_func=label,
            key=f"data_map_{stamp}_{i}",
        )
    ignored = [column for column, target in chosen.items() if not target]
    if ignored:
        st.caption(t("data.ignored_columns", columns=", ".join(ignored)))
    else:
        st.caption(t("data.all_mapped"))
    return {column: target or None for column, target in chosen.items()}


def values_step(
    db: Database, kind: str, raw: fileread.RawTable, mapping: dict[str, str | None]
) -> values.Decisions | None:
    """The distinct values of the mapped categorical columns against the stored ones, with a
    decision per new value the curator may change; None while a decision is incomplete."""
    spec = kinds.KINDS[kind]
    review = values.value_review(db, spec, raw, mapping)
    if review.empty:
        return {}
    st.subheader(t("data.values_heading"))
    st.caption(t("data.values_help"))
    new = review[~review["known"]].reset_index(drop=True)
    known = int(review["known"].sum())
    if known:
        st.caption(t("data.values_known", count=ui.fmt_number(known)))
    if new.empty:
        st.success(t("data.values_none_new"))
        return {}
    shown = new.assign(reason=new["reason"].map(lambda r: t(f"data.match_{r}") if r else ""))
    stamp = f"{kind}_{raw.sha256[:12]}_{abs(hash(tuple(mapping.items()))) % 10**8}"
    edited = st.data_editor(
        shown.drop(columns="known"),
        placeholder=BLANK,
        hide_index=True,
        column_order=REVIEW_ORDER,
        disabled=["field", "column", "value", "rows", "proposed", "reason"],
        column_config={
            **columns_config("field", "column", "value", "rows", "proposed"),
            "reason": st.column_config.Column(t("data.col_match")),
            "decision": st.column_config.SelectboxColumn(
                t("data.col_decision"),
                options=list(values.DECISIONS),
                format_func=lambda d: t(f"data.decision_{d}"),
                required=True,
            ),
            "mapped_to": st.column_config.TextColumn(t("data.col_mapped_to"), max_chars=500),
        },
        key=f"data_values_{stamp}",
    )
    try:
        decisions = values.decisions_from_review(spec, edited.assign(known=False))
    except USER_ERRORS as exc:
        ui.show_error(exc)
        return None
    chosen = [d.decision for d in decisions.values()]
    st.caption(
        t(
            "data.values_summary",
            mapped=chosen.count("map"),
            kept=chosen.count("keep"),
            rejected=chosen.count("reject"),
        )
    )
    return decisions


def import_buttons(ready: bool) -> str | None:
    """The three import modes; returns the one pressed."""
    st.caption(t("data.modes_help"))
    left, middle, right = st.columns(3)
    pressed = {
        "dry-run": left.button(t("data.dry_run"), icon=":material/fact_check:", disabled=not ready),
        "strict": middle.button(
            t("data.import_strict"), icon=":material/lock:", disabled=not ready
        ),
        "skip-bad": right.button(
            t("data.import_skip"), type="primary", icon=":material/upload:", disabled=not ready
        ),
    }
    return next((mode for mode, clicked in pressed.items() if clicked), None)


def run_import(db, viewer, kind, raw, mapping, mode, decisions) -> None:
    try:
        report = ingest.import_table(
            db,
            viewer,
            kind,
            raw,
            mapping=mapping,
            mode=mode,
            lang=ui.lang(),
            decisions=decisions,
        )
    except USER_ERRORS as exc:
        st.session_state.pop("data_report", None)
        ui.show_error(exc)
        return
    st.session_state["data_report"] = report
    if report.written:
        ui.clear_caches()


def show_report(kind: str, raw: fileread.RawTable) -> None:
    """The last report for this file: summary, counts, every problem, the changes to stored
    rows and the rejected rows."""
    report: ingest.ImportReport | None = st.session_state.get("data_report")
    if report is None or report.kind != kind or report.sha256 != raw.sha256:
        return
    st.subheader(t("data.report_heading"))
    summary = report.summary(ui.lang(), t(f"data.kind_{kind}"))
    if report.written and not report.rejected:
        st.success(summary)
    elif report.written or report.problems.empty:
        st.info(summary)
    else:
        st.warning(summary)
    counts = [
        ("data.metric_rows", report.rows),
        ("data.metric_good", report.good),
        ("data.metric_problems", len(report.problems)),
        ("data.metric_inserted", report.inserted),
        ("data.metric_updated", report.updated),
        ("data.metric_unchanged", report.unchanged),
        ("data.metric_rejected", report.rejected),
        ("data.metric_mapped", report.mapped_values),
    ]
    for column, (key, value) in zip(st.columns(len(counts)), counts, strict=True):
        column.metric(t(key), ui.fmt_number(value), border=True)
    show_changes(kind, report)
    if report.problems.empty:
        st.success(t("data.no_problems"))
        return
    st.dataframe(
        report.problems,
        hide_index=True,
        column_config=columns_config("row", "column", "value", "reason"),
    )
    ui.downloads(report.problems, f"problems_{kind}", key="data_problems")
    st.subheader(t("data.rejects_heading"))
    st.caption(t("data.rejects_caption"))
    st.dataframe(report.rejects, hide_index=True)
    ui.downloads(report.rejects, f"rejected_{kind}", key="data_rejects")


def show_changes(kind: str, report: ingest.ImportReport) -> None:
    """Every field an update changes, before → after: a sample here, the full list to
    download."""
    st.subheader(t("data.changes_heading"))
    changes = report.changes
    if changes.empty:
        st.caption(t("data.no_changes"))
        return
    st.caption(
        t(
            "data.changes_caption",
            fields=ui.fmt_number(len(changes)),
            rows=ui.fmt_number(changes["key"].nunique()),
            shown=ui.fmt_number(min(len(changes), CHANGES_SHOWN)),
        )
    )
    st.dataframe(
        changes.head(CHANGES_SHOWN),
        hide_index=True,
        column_config=columns_config("key", "field", "before", "after"),
    )
    ui.downloads(changes, f"changes_{kind}", key="data_changes")


def import_section(db: Database, viewer: access.Viewer) -> None:
    kind = st.selectbox(
        t("data.kind"),
        list(kinds.KINDS),
        format_func=lambda k: t(f"data.kind_{k}"),
        key="data_kind",
    )
    with st.expander(t("data.fields_heading")):
        st.dataframe(
            kinds.field_guide(kind),
            hide_index=True,
            column_config=columns_config("field", "type", "required", "key", "range", "default"),
        )
    upload = st.file_uploader(
        t("data.file"),
        type=["csv", "txt", "tsv", "xlsx", "xlsm", "ics"],
        help=t("data.file_help", limit=fileread.upload_limit_mb()),
        key="data_file",
    )
    if upload is None:
        return
    raw = read_upload(upload)
    if raw is None:
        return
    st.caption(file_info(raw))
    with st.expander(t("data.preview_heading")):
        preview = raw.frame.head(20).set_axis(raw.rows[:20])
        st.dataframe(preview.rename_axis(t("data.col_row")))
    mapping = mapping_form(db, viewer, kind, raw)
    try:
        decisions = values_step(db, kind, raw, mapping)
    except USER_ERRORS as exc:
        ui.show_error(exc)
        return
    mode = import_buttons(decisions is not None)
    if mode:
        run_import(db, viewer, kind, raw, mapping, mode, decisions)
    show_report(kind, raw)


# -- export, backup, audit log ------------------------------------------------------------
def export_section(db: Database, viewer: access.Viewer) -> None:
    tables, reports = backup.export_names(db)
    name = st.selectbox(
        t("data.export_choose"),
        [*tables, *reports],
        format_func=lambda n: t(
            "data.export_table" if n in tables else "data.export_report", name=n
        ),
        key="data_export_name",
    )
    if st.button(t("data.export_prepare"), icon=":material/table_view:", key="data_export_go"):
        st.session_state["data_export_ready"] = name
    if st.session_state.get("data_export_ready") != name:
        return
    try:
        frame: pd.DataFrame = ui.cached(backup.export_frame, db, viewer, name)
    except USER_ERRORS as exc:
        ui.show_error(exc)
        return
    st.caption(t("data.export_rows", rows=ui.fmt_number(len(frame))))
    st.dataframe(frame.head(100), hide_index=True)
    ui.downloads(frame, name, key=f"data_export_{name}")


def backup_section(db: Database, viewer: access.Viewer) -> None:
    st.caption(t("data.backup_caption"))
    if st.button(t("data.backup_now"), type="primary", icon=":material/backup:"):
        try:
            folder = backup.backup(db, viewer)
        except USER_ERRORS as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.success(t("data.backup_done", path=folder.name))
    st.subheader(t("data.backups_heading"))
    listing = backup.list_backups()
    if listing.empty:
        st.info(t("data.no_backups"))
        return
    st.dataframe(
        listing.drop(columns="path").rename(
            columns={"name": "backup_name", "created_at": "created"}
        ),
        hide_index=True,
        column_config=columns_config("backup_name", "created", "rows", "size_mb"),
    )
    name = st.selectbox(t("data.backup_pick"), listing["name"].tolist(), key="data_backup_pick")
    folder = listing.set_index("name").at[name, "path"]
    st.download_button(
        t("data.backup_download"),
        lambda: backup.archive_for(db, viewer, folder),
        f"{name}.zip",
        "application/zip",
        key="data_backup_download",
        on_click="ignore",
        icon=":material/download:",
    )


def log_section(db: Database, viewer: access.Viewer) -> None:
    st.subheader(t("data.log_heading"))
    log = ui.cached(ingest.recent_imports, db, viewer, 100)
    shown = readable_changes(log).rename(columns={"file_name": "file"})
    st.dataframe(
        shown,
        hide_index=True,
        column_config=columns_config(
            "logged_at",
            "actor",
            "action",
            "kind",
            "file",
            "sha256",
            "inserted",
            "updated",
            "rejected",
            "detail",
            "before",
            "after",
        ),
    )
    ui.downloads(log, "audit_log", key="data_log")
    entry_section(db, viewer)


def entry_section(db: Database, viewer: access.Viewer) -> None:
    """One workbench change field by field, before and after."""
    st.subheader(t("data.entry_heading"))
    entries = ui.cached(audit.workbench_entries, db, viewer)
    if entries.empty:
        st.caption(t("data.entry_none"))
        return
    lang = ui.lang()
    labels = {
        row.entry_id: " · ".join(
            [f"#{row.entry_id}", formatting.moment(row.logged_at, lang), row.actor, row.action]
            + ([row.detail] if row.detail else [])
        )
        for row in entries.itertuples()
    }
    chosen = st.selectbox(
        t("data.entry_pick"), list(labels), format_func=labels.get, key="data_entry"
    )
    st.caption(t("data.entry_caption"))
    changes = ui.cached(audit.entry_changes, db, viewer, int(chosen))
    catalogue = i18n.catalogue(ui.lang())
    changes = changes.assign(
        table=[t(f"data.kind_{n}") if f"data.kind_{n}" in catalogue else n for n in changes.table]
    )
    st.dataframe(
        changes,
        hide_index=True,
        column_config=columns_config("table", "key", "field", "before", "after"),
        placeholder="—",
    )


viewer = ui.page_viewer("data")
db = ui.database()

st.title(t("data.title"))
st.caption(t("data.caption"))
tab_import, tab_export, tab_backup, tab_log = st.tabs(
    [t("data.tab_import"), t("data.tab_export"), t("data.tab_backup"), t("data.tab_log")]
)
with tab_import:
    import_section(db, viewer)
with tab_export:
    export_section(db, viewer)
with tab_backup:
    backup_section(db, viewer)
with tab_log:
    log_section(db, viewer)
