"""Expertise map: the club's skill network, the person × skill matrix, "who knows X" and
member profiles. Filters and the focused skill or member live in the URL so a view can be
shared; choosing a skill or a member in any view narrows the others."""

from functools import partial
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import access, i18n
from lib.expertise import graph, search
from lib.expertise.graph import MAP_STATUSES, MapView
from lib.expertise.layout import backbone_pairs, skill_layout
from lib.expertise.matrix import SkillMatrix, narrow, skill_matrix, skill_neighbours
from lib.expertise.profile import engagement_levels, member_profile
from lib.naming import person_label_map
from pages.components import ui, workbench
from pages.components.kpis import Tile, kpi_row, metric_tile
from pages.components.ui import t

TOP_SKILLS = 250
WEBGL_FROM = 150
LEVEL_COLOURS = "Blues"
LABELLED_SKILLS = 15
TABS = ("network", "matrix", "skills", "members", "who_knows", "profile")


# -- filters ---------------------------------------------------------------------------------
def map_view(db) -> MapView:
    """The map's own filters in the sidebar, bound to the URL."""
    side = st.sidebar
    side.subheader(t("map.filters"))
    side.multiselect(
        t("map.status"),
        MAP_STATUSES,
        default=["active"],
        format_func=lambda s: t(f"status.{s}"),
        key="map_status",
        bind="query-params",
    )
    side.multiselect(
        t("map.category"),
        ui.cached(graph.skill_categories, db),
        key="map_category",
        placeholder=t("filters.all"),
        bind="query-params",
    )
    side.slider(t("map.min_level"), 1, 5, 1, key="map_level", bind="query-params")
    levels = ui.cached(graph.confidence_levels, db)
    sources = dict(levels)
    side.select_slider(
        t("map.min_confidence"),
        [value for value, _ in levels],
        value=0.0,
        format_func=lambda v: ui.fmt_number(v, 1),
        key="map_confidence",
        help=t("map.min_confidence_help"),
        bind="query-params",
    )
    confidence = float(st.session_state.get("map_confidence") or 0.0)
    side.caption(
        t(
            "map.confidence_sources",
            sources=", ".join(t(f"map.source_{s}") for s in sources.get(confidence, [])),
        )
    )
    side.toggle(t("map.fresh_only"), key="map_fresh", help=t("map.fresh_help"), bind="query-params")
    state = st.session_state
    return MapView(
        statuses=tuple(state.get("map_status") or ()),
        categories=tuple(state.get("map_category") or ()),
        min_level=int(state.get("map_level") or 1),
        min_confidence=confidence,
        fresh_only=bool(state.get("map_fresh")),
    )


# -- focus: one skill and/or one member narrow every view ------------------------------------
def focus_skill_from_chart() -> None:
    points = st.session_state["map_network"].selection.points
    if points:
        data = points[0].get("customdata")
        st.session_state["map_skill"] = data[0] if isinstance(data, list) else data


def focus_from_table(table_key: str, focus_key: str, ids: list[str], tab: str | None) -> None:
    rows = st.session_state[table_key].selection.rows
    if rows:
        st.session_state[focus_key] = ids[rows[0]]
        if tab:
            st.session_state["map_tab"] = t(f"map.tab_{tab}")


def clear_focus() -> None:
    st.session_state["map_skill"] = None
    st.session_state["map_member"] = None


def focus_pickers(club: graph.ClubGraph) -> tuple[str | None, str | None]:
    """Skill and member pickers above the views; a focus that the filters removed is dropped."""
    held = club.held_skills.sort_values("skill")
    skill_names = dict(zip(held["skill_id"], held["skill"], strict=True))
    members = club.members.sort_values(["name", "person_id"])
    member_names = person_label_map(members)
    for key, options in (("map_skill", skill_names), ("map_member", member_names)):
        if st.session_state.get(key) not in options:
            st.session_state[key] = None
    left, middle, right = st.columns([3, 3, 1], vertical_alignment="bottom")
    left.selectbox(
        t("map.focus_skill"),
        list(skill_names),
        index=None,
        format_func=skill_names.get,
        placeholder=t("map.focus_none"),
        key="map_skill",
        bind="query-params",
    )
    middle.selectbox(
        t("map.focus_member"),
        list(member_names),
        index=None,
        format_func=member_names.get,
        placeholder=t("map.focus_none"),
        key="map_member",
        bind="query-params",
    )
    right.button(t("map.clear_focus"), on_click=clear_focus, icon=":material/filter_alt_off:")
    return st.session_state.get("map_skill"), st.session_state.get("map_member")


# -- tables ------------------------------------------------------------------------------------
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


# -- views -------------------------------------------------------------------------------------
def kpis(club: graph.ClubGraph, view: MapView) -> None:
    """The map's tiles; the one-holder count is a registry metric, marked as relative to the
    view when filters or the map's own view narrow it."""
    held = club.held_skills
    stale = float(club.claims["stale"].mean()) if len(club.claims) else None
    tiles = [
        Tile(t("map.kpi_members"), ui.fmt_number(club.club_size), t("map.kpi_members_help")),
        Tile(t("map.kpi_skills"), ui.fmt_number(len(held)), t("map.kpi_skills_help")),
        metric_tile(
            "sole_held_skills",
            int((held["bus_factor"] == 1).sum()),
            in_view=bool(filters.departments or filters.waves) or view != graph.ACTIVE_CLUB,
        ),
        Tile(
            t("map.kpi_unique_members"),
            ui.fmt_number(int((club.members["unique_count"] > 0).sum())),
            t("map.kpi_unique_members_help"),
        ),
        Tile(
            t("map.kpi_communities"),
            ui.fmt_number(len(club.communities)),
            t("map.kpi_communities_help"),
        ),
        Tile(
            t("map.kpi_stale"),
            ui.fmt_percent(stale) if stale is not None else "—",
            t("map.kpi_stale_help"),
        ),
    ]
    kpi_row(tiles, per_row=len(tiles))


def network_view(club: graph.ClubGraph, skill_id: str | None, person_id: str | None) -> None:
    layout = ui.cached(skill_layout, club, top_n=TOP_SKILLS)
    if layout.empty:
        st.info(t("common.no_data"))
        return
    nodes = layout.merge(club.held_skills, on="skill_id")
    edges = backbone_pairs(club, nodes["skill_id"])
    highlighted = focus_set(club, skill_id, person_id)
    named = {skill_id} if skill_id else highlighted if person_id else set()
    st.plotly_chart(
        network_figure(nodes, edges, highlighted, named),
        key="map_network",
        on_select=focus_skill_from_chart,
        selection_mode="points",
        config={"displaylogo": False},
    )
    st.caption(
        t(
            "map.network_caption",
            shown=ui.fmt_number(len(nodes)),
            total=ui.fmt_number(len(club.held_skills)),
            edges=ui.fmt_number(len(edges)),
        )
    )
    st.subheader(t("map.communities"))
    table(
        shown(club.communities, ["community", "community_name", "skills", "claims", "top"]),
        "skill_communities",
    )


def focus_set(club: graph.ClubGraph, skill_id: str | None, person_id: str | None) -> set:
    """Skills to highlight: the focused skill with its neighbours, or the member's skills."""
    if person_id:
        return set(club.claims.loc[club.claims["person_id"] == person_id, "skill_id"])
    if skill_id:
        return {skill_id, *skill_neighbours(club, skill_id)["skill_id"]}
    return set()


def network_figure(
    nodes: pd.DataFrame, edges: pd.DataFrame, highlighted: set, named: set
) -> go.Figure:
    """Skills as circles (size = holders, colour = community) over their strongest links;
    the most held and the `named` skills carry labels, others fade when some are highlighted."""
    webgl = len(nodes) > WEBGL_FROM
    scatter = go.Scattergl if webgl else go.Scatter
    where = nodes[["skill_id", "x", "y"]]
    ends = edges.merge(where, left_on="skill_a", right_on="skill_id").merge(
        where, left_on="skill_b", right_on="skill_id", suffixes=("", "_b")
    )
    xs = np.column_stack([ends["x"], ends["x_b"], np.full(len(ends), np.nan)]).ravel()
    ys = np.column_stack([ends["y"], ends["y_b"], np.full(len(ends), np.nan)]).ravel()
    fig = go.Figure(
        scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"width": 0.6, "color": "rgba(120,120,120,0.35)"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    size = 8 + 30 * np.sqrt(nodes["holders"] / max(nodes["holders"].max(), 1))
    labelled = set(nodes.nlargest(LABELLED_SKILLS, "holders")["skill_id"]) | named
    for number, group in nodes.assign(size=size).groupby("community", sort=True):
        colour = ui.PALETTE[(int(number) - 1) % len(ui.PALETTE)]
        faded = [bool(highlighted) and s not in highlighted for s in group["skill_id"]]
        fig.add_trace(
            scatter(
                x=group["x"],
                y=group["y"],
                mode="markers+text",
                text=[
                    n if s in labelled else ""
                    for s, n in zip(group["skill_id"], group["skill"], strict=True)
                ],
                textposition="top center",
                textfont={"size": 10, "color": "#1B2733"},
                name=t(
                    "map.community_label", number=int(number), name=group["community_name"].iloc[0]
                ),
                customdata=group["skill_id"],
                hovertext=[node_hover(row) for row in group.itertuples()],
                hoverinfo="text",
                marker={
                    "size": group["size"],
                    "color": colour,
                    "opacity": [0.15 if f else 0.9 for f in faded],
                    "line": {"width": 1, "color": "white"},
                },
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig = ui.style(fig, height=620)
    fig.update_layout(clickmode="event+select", dragmode="pan", hovermode="closest")
    return fig


def node_hover(row) -> str:
    return t(
        "map.node_hover",
        skill=escape(row.skill),
        category=escape(row.category or "—"),
        holders=row.holders,
        bus_factor=row.bus_factor,
        bus_level=row.bus_level,
        top=escape(row.top_holders or "—"),
    )


def matrix_view(club: graph.ClubGraph, skill_id: str | None, person_id: str | None) -> None:
    left, right = st.columns(2)
    skill_order = left.segmented_control(
        t("map.matrix_skill_order"),
        ["category", "rarity"],
        default="category",
        format_func=lambda o: t(f"map.order_{o}"),
        key="map_matrix_skills",
        required=True,
        bind="query-params",
    )
    member_order = right.segmented_control(
        t("map.matrix_member_order"),
        ["uniqueness", "name"],
        default="uniqueness",
        format_func=lambda o: t(f"map.order_{o}"),
        key="map_matrix_members",
        required=True,
        bind="query-params",
    )
    matrix = ui.cached(
        skill_matrix,
        club,
        skill_order=skill_order or "category",
        member_order=member_order or "uniqueness",
        skill_id=skill_id,
        person_id=person_id,
    )
    if matrix.levels.empty:
        st.info(t("common.no_data"))
        return
    st.plotly_chart(matrix_figure(matrix), key="map_matrix", config={"displaylogo": False})
    st.caption(
        t(
            "map.matrix_caption",
            members=ui.fmt_number(len(matrix.levels)),
            members_total=ui.fmt_number(matrix.members_total),
            skills=ui.fmt_number(len(matrix.levels.columns)),
            skills_total=ui.fmt_number(matrix.skills_total),
        )
    )
    grid = matrix.levels.rename_axis(index=t("map.col_name")).reset_index()
    ui.downloads(grid, "skill_matrix")


def matrix_figure(matrix: SkillMatrix) -> go.Figure:
    """Levels as a heatmap; stars mark skills nobody else in the filtered club holds."""
    levels = matrix.levels
    cells = matrix.cells.set_index(["label", "column"])
    hover = [
        [
            matrix_hover(member, skill, cells.loc[(member, skill)])
            if (member, skill) in cells.index
            else ""
            for skill in levels.columns
        ]
        for member in levels.index
    ]
    fig = go.Figure(
        go.Heatmap(
            z=levels.to_numpy(dtype=float),
            x=list(levels.columns),
            y=list(levels.index),
            zmin=1,
            zmax=5,
            colorscale=LEVEL_COLOURS,
            hovertext=hover,
            hoverinfo="text",
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": t("map.col_level")}, "tickvals": [1, 2, 3, 4, 5]},
        )
    )
    unique = matrix.cells[matrix.cells["unique"]]
    if not unique.empty:
        fig.add_trace(
            go.Scatter(
                x=unique["column"],
                y=unique["label"],
                mode="markers",
                name=t("map.unique_marker"),
                marker={"symbol": "star", "size": 11, "color": "#F18F01"},
                hoverinfo="skip",
            )
        )
    fig.update_yaxes(
        autorange="reversed",
        type="category",
        tickmode="array",
        tickvals=list(levels.index),
        tickfont={"size": 10},
    )
    fig.update_xaxes(
        type="category",
        side="top",
        tickangle=-60,
        tickmode="array",
        tickvals=list(levels.columns),
        tickfont={"size": 10},
    )
    return ui.style(fig, height=max(360, 18 * len(levels) + 220))


def matrix_hover(member: str, skill: str, cell) -> str:
    return t(
        "map.matrix_hover",
        member=escape(member),
        skill=escape(skill),
        level=int(cell["level"]),
        source=t(f"map.source_{cell['source']}"),
        holders=int(cell["holders"]),
    )


SKILL_COLUMNS = [
    "skill",
    "category",
    "holders",
    "bus_factor",
    "bus_level",
    "stale_share",
    "last_confirmed",
    "community_name",
    "betweenness",
    "top_holders",
]
MEMBER_COLUMNS = [
    "name",
    "department",
    "person_id",
    "wave",
    "status",
    "skills",
    "uniqueness",
    "unique_count",
    "unique_skills",
]


def skills_view(club: graph.ClubGraph, skills: pd.DataFrame) -> None:
    st.caption(t("map.skills_caption"))
    bridges = ui.cached(graph.skill_bridges, club)
    skills = skills.merge(bridges[["skill_id", "betweenness"]], on="skill_id", how="left")
    columns = SKILL_COLUMNS + (["shared_holders"] if "shared_holders" in skills else [])
    ids = list(skills["skill_id"])
    table(
        shown(skills, columns),
        "skills",
        key="map_skills_table",
        on_select=partial(focus_from_table, "map_skills_table", "map_skill", ids, None),
        selection_mode="single-row",
    )


def members_view(members: pd.DataFrame) -> None:
    st.caption(t("map.members_caption"))
    extra = [c for c in ("level", "shared_skills") if c in members]
    ids = list(members["person_id"])
    table(
        shown(members, MEMBER_COLUMNS + extra),
        "members_uniqueness",
        key="map_members_table",
        on_select=partial(focus_from_table, "map_members_table", "map_member", ids, "profile"),
        selection_mode="single-row",
    )


def set_query(text: str) -> None:
    st.session_state["map_q"] = text


def skill_choice(db, query: str) -> str | None:
    """The skill a query names, chosen among its matches; did-you-mean when none match."""
    try:
        matches = ui.cached(search.find_skills, db, query)
    except ValueError as exc:
        ui.show_error(exc)
        return None
    if matches.empty:
        suggestions = ui.cached(search.did_you_mean, db, query)
        if not suggestions:
            st.info(t("map.search_nothing", query=query))
            return None
        st.info(t("map.search_did_you_mean", query=query))
        for column, name in zip(st.columns(len(suggestions) + 2), suggestions, strict=False):
            column.button(name, on_click=set_query, args=(name,), key=f"map_suggest_{name}")
        return None
    best = matches.iloc[0]
    if best["how"] in ("layout", "script", "word_form"):
        st.caption(t(f"map.read_as_{best['how']}", query=query, text=best["matched"]))
    names = dict(zip(matches["skill_id"], matches["skill"], strict=True))
    aliases = dict(zip(matches["skill_id"], matches["matched"], strict=True))
    return st.radio(
        t("map.search_matches"),
        list(names),
        format_func=lambda s: (
            names[s]
            if aliases[s] == names[s]
            else t("map.via_alias", skill=names[s], alias=aliases[s])
        ),
        horizontal=True,
        key="map_q_skill",
    )


def who_knows_view(db, filters, viewer, view: MapView, skill_id: str | None) -> None:
    query = st.text_input(
        t("map.search"), key="map_q", placeholder=t("map.search_placeholder"), bind="query-params"
    )
    scope = "club"
    if access.can(viewer, "search_employee_pool"):
        scope = (
            st.segmented_control(
                t("map.search_scope"),
                ["club", "pool"],
                default="club",
                format_func=lambda s: t(f"map.scope_{s}"),
                key="map_scope",
                bind="query-params",
            )
            or "club"
        )
    if query.strip():
        skill_id = skill_choice(db, query)
        if skill_id is None:
            return
    if not skill_id:
        st.info(t("map.search_hint"))
        return
    if scope == "pool":
        pool_view(db, filters, viewer, skill_id)
        return
    ranked = ui.cached(search.who_knows, db, filters, viewer, skill_id, view)
    st.caption(t("map.relevance_formula"))
    if ranked.empty:
        st.info(t("map.search_nobody"))
        return
    columns = [
        "name",
        "department",
        "person_id",
        "level",
        "source",
        "confirmed_on",
        "stale",
        "recent_activities",
        "last_activity",
        "relevance",
        "sources",
        "evidence",
        "recent_work",
    ]
    ranked = ranked.assign(
        sources=ranked["sources"].map(
            lambda v: ", ".join(t(f"map.source_{s}") for s in v.split(", ")) if v else ""
        )
    )
    table(shown(ranked, columns), "who_knows")


def pool_view(db, filters, viewer, skill_id: str) -> None:
    """Holders of the skill in the whole employee pool, members or not."""
    ranked = ui.cached(search.who_knows_in_pool, db, filters, viewer, skill_id)
    st.caption(t("map.pool_caption"))
    if ranked.empty:
        st.info(t("map.search_nobody"))
        return
    ranked = ranked.assign(
        membership=ranked["membership"].map(
            lambda s: t("map.membership_none") if s == "none" else t(f"status.{s}")
        )
    )
    columns = ["name", "department", "position", "person_id", "membership", "level", "source"]
    table(shown(ranked, [*columns, "confirmed_on", "stale", "relevance"]), "who_knows_pool")


def profile_view(db, filters, viewer, club: graph.ClubGraph, person_id: str | None) -> None:
    if not person_id:
        st.info(t("map.profile_hint"))
        return
    try:
        profile = ui.cached(member_profile, db, viewer, club, person_id, as_of=filters.as_of)
    except ValueError as exc:
        ui.show_error(exc)
        return
    person = profile.person
    joined_on = person["joined_on"]
    joined = i18n.fmt_date(
        pd.Timestamp(joined_on).date() if pd.notna(joined_on) else None, ui.lang()
    )
    st.subheader(person["name"] or person["person_id"])
    st.caption(
        t(
            "map.profile_caption",
            position=person["position"] or "—",
            team=person["team"] or "—",
            department=person["department"] or "—",
            joined=joined,
            wave=t("filters.wave_value", wave=person["wave"]),
        )
    )
    workbench.member_link(viewer, person_id)
    levels = ui.cached(engagement_levels, db, filters, viewer)
    level = levels.loc[levels["person_id"] == person_id, "level"]
    tiles = [
        (t("map.col_status"), t(f"status.{person['status']}")),
        (t("map.col_skills"), ui.fmt_number(len(profile.skills))),
        (t("map.col_unique_count"), ui.fmt_number(int(profile.skills["unique"].sum()))),
    ]
    if not level.empty:
        tiles.append((t("map.profile_engagement"), t(f"map.level_{level.iloc[0]}")))
    for column, (label, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value, border=True)
    st.markdown(f"**{t('map.profile_skills')}**")
    skills = shown(
        profile.skills,
        [
            "skill",
            "category",
            "level",
            "source",
            "confirmed_on",
            "stale",
            "other_holders",
            "unique",
            "evidence",
        ],
    )
    unique_header = t("map.col_unique")
    st.dataframe(
        skills.style.apply(
            lambda row: ["background-color: #FDE9C8" if row[unique_header] else "" for _ in row],
            axis=1,
        ),
        hide_index=True,
    )
    ui.downloads(skills, f"profile_{person_id}_skills")
    st.markdown(f"**{t('map.profile_activities')}**")
    if profile.activities.empty:
        st.info(t("map.profile_no_activities"))
    else:
        activities = profile.activities.assign(
            kind=profile.activities["kind"].map(lambda k: t(f"map.kind_{k}"))
        )
        table(
            shown(activities, ["occurred_on", "kind", "title", "audience", "skills"]),
            f"profile_{person_id}_activities",
        )
    st.markdown(f"**{t('map.profile_history')}**")
    history = profile.history.assign(
        from_status=profile.history["from_status"].map(
            lambda s: t(f"status.{s}") if pd.notna(s) else "—"
        ),
        to_status=profile.history["to_status"].map(lambda s: t(f"status.{s}")),
    )
    table(shown(history, list(history.columns)), f"profile_{person_id}_history")


# -- the page ----------------------------------------------------------------------------------
viewer = ui.page_viewer("expertise_map")
db = ui.database()
filters = ui.filters()

st.title(t("map.title"))
st.caption(t("map.caption"))
try:
    view = map_view(db)
except ValueError as exc:
    ui.show_error(exc)
    st.stop()

club = ui.cached(graph.build_club_graph, db, filters, view)
kpis(club, view)
skill_id, person_id = focus_pickers(club)
narrowed_skills, narrowed_members = narrow(club, skill_id=skill_id, person_id=person_id)

tabs = st.tabs(
    [t(f"map.tab_{name}") for name in TABS], key="map_tab", on_change="rerun", bind="query-params"
)
views = dict(zip(TABS, tabs, strict=True))
with views["network"]:
    if views["network"].open:
        network_view(club, skill_id, person_id)
with views["matrix"]:
    if views["matrix"].open:
        matrix_view(club, skill_id, person_id)
with views["skills"]:
    if views["skills"].open:
        skills_view(club, narrowed_skills)
with views["members"]:
    if views["members"].open:
        members_view(narrowed_members)
with views["who_knows"]:
    if views["who_knows"].open:
        who_knows_view(db, filters, viewer, view, skill_id)
with views["profile"]:
    if views["profile"].open:
        profile_view(db, filters, viewer, club, person_id)
