"""Settings: the weights, decay and thresholds behind every score, each with its formula and
version history. Tabs are listed in TABS; a tab may require a permission."""

from collections.abc import Callable

import streamlit as st

from lib import access, errors
from lib.contributions.review import save_contribution_settings
from lib.engagement import calibration
from lib.settings import DEFAULTS, current_settings, settings_history, update_settings
from pages.components import ui
from pages.components.ui import t

# Setting keys by tab, in the order they are shown.
GROUPS = {
    "weights": ("kind_weights",),
    "decay": ("half_life_days", "window_days"),
    "levels": (
        "expected_points_per_hour",
        "calibration_windows",
        "min_hours_in_window",
        "index_cap",
        "min_expected_points",
        "default_hours_available",
        "level_core_index",
        "level_active_index",
        "dormant_days",
        "at_risk_drop",
    ),
    "expertise": ("stale_days", "source_confidence"),
    "recruitment": ("priority_weights", "shortlist_min_hours"),
    "community": ("recognition_gap_days", "segment_min_interviews"),
    "renewal": (
        "count_unverified_contributions",
        "renewal_window_days",
        "renewal_min_contributions",
        "renewal_on_track_ratio",
        "renewal_review_ratio",
        "renewal_min_verified_share",
    ),
}
# Groups whose saving does more than store the values (activities follow the counting rule).
SAVERS = {"renewal": save_contribution_settings}
SUB_LABELS = {
    "kind_weights": "engagement.kind_{}",
    "source_confidence": "settings.source_{}",
    "priority_weights": "settings.priority_{}",
}

viewer = ui.page_viewer("settings")
db = ui.database()
editable = access.can(viewer, "edit_settings")
values = current_settings(db)


def number_field(container, label: str, value, key: str, help_text: str | None = None):
    """A number input that keeps whole-number settings whole."""
    if isinstance(value, int) and not isinstance(value, bool):
        return container.number_input(
            label,
            min_value=1,
            value=int(value),
            step=1,
            key=key,
            help=help_text,
            disabled=not editable,
        )
    return container.number_input(
        label,
        min_value=0.0,
        value=float(value),
        step=0.05,
        format="%.2f",
        key=key,
        help=help_text,
        disabled=not editable,
    )


def rate_fields():
    """The expected points per hour: calibrated from the club's history unless fixed here."""
    in_force = calibration.rate_in_force(db, ui.filters().as_of, values)
    fixed = st.checkbox(
        t("settings.rate_fixed"),
        value=values["expected_points_per_hour"] is not None,
        key="setting_rate_fixed",
        disabled=not editable,
        help=t(
            "settings.help_rate_fixed",
            rate=calibration.rate_sentence(in_force, values, ui.lang()),
        ),
    )
    rate = number_field(
        st,
        t("settings.name_expected_points_per_hour"),
        float(in_force.value),
        "setting_expected_points_per_hour",
        t("settings.help_expected_points_per_hour"),
    )
    return float(rate) if fixed else None


def setting_fields(key: str):
    """The inputs of one setting; a setting with parts (weights per kind) gets a grid."""
    if key == "expected_points_per_hour":
        return rate_fields()
    current = values[key]
    if isinstance(DEFAULTS[key], bool):
        return st.checkbox(
            t(f"settings.name_{key}"),
            value=bool(current),
            key=f"setting_{key}",
            help=t(f"settings.help_{key}"),
            disabled=not editable,
        )
    if isinstance(DEFAULTS[key], dict):
        st.markdown(f"**{t(f'settings.name_{key}')}**")
        columns = st.columns(3)
        chosen = {}
        for i, part in enumerate(DEFAULTS[key]):
            label = t(SUB_LABELS[key].format(part))
            chosen[part] = number_field(
                columns[i % 3],
                label,
                float(current.get(part, DEFAULTS[key][part])),
                f"setting_{key}_{part}",
            )
        st.caption(t(f"settings.help_{key}"))
        return chosen
    return number_field(
        st, t(f"settings.name_{key}"), current, f"setting_{key}", t(f"settings.help_{key}")
    )


def save(changes: dict, group: str) -> None:
    try:
        saved = SAVERS.get(group, update_settings)(db, viewer, changes)
    except (ValueError, access.AccessDenied) as exc:
        st.error(t("settings.not_saved", reason=ui.markdown_escape(errors.message(exc, ui.lang()))))
        return
    if not saved:
        st.info(t("settings.nothing_changed"))
        return
    ui.clear_caches()
    names = ", ".join(t(f"settings.name_{key}") for key in saved)
    st.success(t("settings.saved", names=names))


def settings_tab(group: str) -> None:
    st.caption(t(f"settings.formula_{group}", **formula_values()))
    with st.form(f"settings_form_{group}"):
        changes = {key: setting_fields(key) for key in GROUPS[group]}
        left, right, _ = st.columns([1, 2, 5])
        submitted = left.form_submit_button(
            t("settings.save"), type="primary", disabled=not editable
        )
        restore = right.form_submit_button(t("settings.restore"), disabled=not editable)
    if submitted:
        save(changes, group)
    elif restore:
        save({key: DEFAULTS[key] for key in GROUPS[group]}, group)
    with st.expander(t("settings.history_of_tab")):
        history_table(GROUPS[group], f"settings_history_{group}")


def formula_values() -> dict:
    return {
        **calibration.formula_values(db, ui.filters().as_of, values, ui.lang()),
        "stale": values["stale_days"],
        "gap": values["recognition_gap_days"],
        "minimum": values["segment_min_interviews"],
        "hours": values["shortlist_min_hours"],
        "renewal_window": values["renewal_window_days"],
        "renewal_min": values["renewal_min_contributions"],
        "renewal_on_track": ui.fmt_number(values["renewal_on_track_ratio"], 2),
        "renewal_review": ui.fmt_number(values["renewal_review_ratio"], 2),
        "renewal_share": ui.fmt_percent(values["renewal_min_verified_share"]),
    }


def history_table(keys, name: str) -> None:
    history = ui.cached(settings_history, db, tuple(keys))
    if history.empty:
        st.info(t("settings.no_history"))
        return
    shown = history.assign(key=history["key"].map(lambda k: t(f"settings.name_{k}")))
    config = {c: st.column_config.Column(t(f"settings.col_{c}")) for c in shown.columns}
    st.dataframe(shown, hide_index=True, column_config=config)
    ui.downloads(history, name)


def history_tab() -> None:
    st.caption(t("settings.history_caption"))
    history_table(tuple(DEFAULTS), "settings_history")


def roles_tab() -> None:
    """Admins map e-mails and identity-provider groups to roles."""
    st.caption(t("roles_admin.caption"))
    st.caption(t("roles_admin.role_meanings"))
    with st.form("grant_role", clear_on_submit=True):
        left, right = st.columns([3, 1])
        principal = left.text_input(
            t("roles_admin.principal"), help=t("roles_admin.principal_help")
        )
        role = right.selectbox(
            t("roles_admin.role"), access.ROLES, format_func=lambda r: t(f"roles.{r}")
        )
        if st.form_submit_button(t("roles_admin.grant"), type="primary"):
            try:
                access.set_role(db, viewer, principal, role)
                st.success(
                    t(
                        "roles_admin.granted",
                        principal=principal.strip().lower(),
                        role=t(f"roles.{role}"),
                    )
                )
            except (ValueError, access.AccessDenied) as exc:
                ui.show_error(exc)
    current = access.role_map(db)
    if current.empty:
        st.info(t("roles_admin.empty"))
        return
    shown = current.assign(role=current["role"].map(lambda r: t(f"roles.{r}")))
    config = {c: st.column_config.Column(t(f"roles_admin.col_{c}")) for c in shown.columns}
    picked = st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
        key="role_map",
        on_select="rerun",
        selection_mode="multi-row",
    )
    rows = picked.selection.rows if picked else []
    if st.button(t("roles_admin.revoke"), disabled=not rows, icon=":material/person_remove:"):
        for principal in current.iloc[rows]["principal"]:
            access.set_role(db, viewer, principal, None)
        st.success(t("roles_admin.revoked", count=len(rows)))
        st.rerun()
    ui.downloads(current, "role_map")


# (tab key, how to draw it, permission needed or None). Add a tab by adding a row.
TABS: list[tuple[str, Callable[[], None], str | None]] = [
    *[(group, lambda group=group: settings_tab(group), None) for group in GROUPS],
    ("history", history_tab, None),
    ("roles", roles_tab, "edit_roles"),
]

st.title(t("settings.title"))
st.caption(t("settings.caption"))
if not editable:
    st.info(t("settings.read_only"))
shown_tabs = [
    (key, draw) for key, draw, needs in TABS if needs is None or access.can(viewer, needs)
]
tabs = st.tabs([t(f"settings.tab_{key}") for key, _ in shown_tabs])
for (_, draw), tab in zip(shown_tabs, tabs, strict=True):
    with tab:
        draw()
