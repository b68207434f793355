"""Interview insights: who was interviewed, which themes and codes came up, and what each
role may see of it (SPEC.md §2 and §5).

Privacy is enforced here, whatever page or report asks:
- viewers without `see_small_segments` get aggregates of the whole club only — the global
  department and wave filters do not narrow them, because two filtered scopes could be
  subtracted to recover a small group — broken down by segments of at least
  `segment_min_interviews` interviews; smaller segments are merged into "other" (and when
  "other" would still be too small, the next smallest segment joins it, so a small group
  can never be recovered by subtraction within one breakdown; when all of them together are
  too few, nothing is shown);
- quotes need `see_interview_text`, carry a name only for curators, and interviews
  without consent are counted in every aggregate but never quoted, for anyone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.errors import Refusal
from lib.filters import Filters
from lib.io.reports import report
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import FindingTheme, Role, values

DIMENSIONS = ("role", "department", "tenure", "wave")
THEMES = values(FindingTheme)
TENURE_BANDS = ("lt2", "2to5", "5to10", "10plus")
ALL = "all"
OTHER = "other"
UNKNOWN = "unknown"
NAMED_QUOTE_ROLES = frozenset({Role.CURATOR})

_THEME_ORDER = "coalesce(list_position($theme_order, {}), 99)"
# Tenure at the interview, or on the analysis day for an interview without a date.
_TENURE_YEARS = "date_diff('day', p.hired_on, coalesce(i.conducted_on, $as_of::DATE)) / 365.25"
# CTE `scope`: every interview of people passing the filters, with its raw segment along
# $dimension (NULL: one segment for all).
_SCOPE_SQL = f"""scope AS (
    SELECT i.interview_id, coalesce(i.consent, FALSE) AS consent,
           CASE $dimension::VARCHAR
               WHEN 'role' THEN coalesce(nullif(trim(i.segment), ''), $unknown)
               WHEN 'department' THEN coalesce(nullif(trim(p.department), ''), $unknown)
               WHEN 'tenure' THEN CASE WHEN p.hired_on IS NULL THEN $unknown
                   WHEN {_TENURE_YEARS} < 2 THEN '{TENURE_BANDS[0]}'
                   WHEN {_TENURE_YEARS} < 5 THEN '{TENURE_BANDS[1]}'
                   WHEN {_TENURE_YEARS} < 10 THEN '{TENURE_BANDS[2]}'
                   ELSE '{TENURE_BANDS[3]}' END
               WHEN 'wave' THEN coalesce(CAST(m.wave AS VARCHAR), $unknown)
               ELSE $all END AS raw_segment
    FROM interviews i
    LEFT JOIN people p ON p.person_id = i.person_id
    LEFT JOIN memberships m ON m.person_id = i.person_id
    WHERE (len($departments) = 0 OR list_contains($departments, p.department))
      AND (len($waves) = 0 OR list_contains($waves, m.wave))
)"""


# -- who may see what -----------------------------------------------------------------------
def _require_reader(viewer: Viewer | None) -> None:
    """Aggregates are for anyone who may open the Interviews page."""
    access.require_page(viewer, "interviews")


def min_interviews(db: Database) -> int:
    """The smallest segment a viewer without `see_small_segments` may see."""
    return int(current_settings(db)["segment_min_interviews"])


def aggregate_scope(viewer: Viewer | None, filters: Filters) -> Filters:
    """The scope a viewer's interview aggregates cover: their filters for those who may see
    small segments, the whole club for everyone else (see the module docstring)."""
    if access.can(viewer, "see_small_segments"):
        return filters
    return replace(filters, departments=(), waves=())


def filters_ignored(viewer: Viewer | None, filters: Filters) -> bool:
    """True when the viewer asked for a narrower scope than their aggregates may cover."""
    return aggregate_scope(viewer, filters) != filters


def merge_small_segments(sizes: dict[str, int], min_n: int) -> dict[str, str]:
    """Raw segment → shown segment: segments below `min_n` become "other"; while "other" is
    still below `min_n`, the smallest remaining segment joins it; raw segments left out of
    the answer are hidden."""
    kept = {s: n for s, n in sizes.items() if n >= min_n and s != OTHER}
    other = sum(n for s, n in sizes.items() if s not in kept)
    while 0 < other < min_n and kept:
        smallest = min(kept, key=lambda s: (kept[s], s))
        other += kept.pop(smallest)
    mapping = {s: s for s in kept}
    if other >= min_n:
        mapping.update({s: OTHER for s in sizes if s not in kept})
    return mapping


def _scope_params(filters: Filters, dimension: str | None) -> dict[str, Any]:
    """Named parameters of `_SCOPE_SQL` for the filters and a segment dimension."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise Refusal(
            "interviews.err_unknown_dimension", dimension=dimension, choices=", ".join(DIMENSIONS)
        )
    member = filters.member_params()
    return {
        "dimension": dimension,
        "departments": member["departments"],
        "waves": member["waves"],
        "as_of": filters.as_of,
        "unknown": UNKNOWN,
        "all": ALL,
    }


def _segment_map(
    db: Database, viewer: Viewer, filters: Filters, dimension: str | None
) -> dict[str, str]:
    """Raw → shown segment for this viewer; every raw segment for those who may see all."""
    filters = aggregate_scope(viewer, filters)
    sizes = dict(
        db.rows(
            f"WITH {_SCOPE_SQL} SELECT raw_segment, count(*) FROM scope GROUP BY 1",
            _scope_params(filters, dimension),
        )
    )
    if access.can(viewer, "see_small_segments"):
        return {s: s for s in sizes}
    return merge_small_segments(sizes, min_interviews(db))


def _segmented(
    db: Database, viewer: Viewer, filters: Filters, dimension: str | None
) -> tuple[str, dict[str, Any]] | None:
    """CTEs `scope` and `shown` (interview_id, consent, segment) of the interviews this
    viewer may see aggregated, or None when there are none."""
    _require_reader(viewer)
    filters = aggregate_scope(viewer, filters)
    mapping = _segment_map(db, viewer, filters, dimension)
    if not mapping:
        return None
    sql = f"""{_SCOPE_SQL},
    seg_map AS (
        SELECT unnest($raw_segments::VARCHAR[]) AS raw_segment,
               unnest($shown_segments::VARCHAR[]) AS segment
    ),
    shown AS (
        SELECT s.interview_id, s.consent, g.segment
        FROM scope s JOIN seg_map g USING (raw_segment)
    )"""
    return sql, {
        **_scope_params(filters, dimension),
        "raw_segments": list(mapping),
        "shown_segments": list(mapping.values()),
    }


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in columns})


# -- aggregates (every role) ------------------------------------------------------------------
def interview_summary(db: Database, viewer: Viewer, filters: Filters) -> dict:
    """Interviews, those with consent, findings and mean sentiment in the filtered club."""
    ctes = _segmented(db, viewer, filters, None)
    if ctes is None:
        return {"interviews": 0, "consented": 0, "findings": 0, "mean_sentiment": None}
    sql, params = ctes
    row = db.df(
        f"""WITH {sql}
        SELECT (SELECT count(*) FROM shown) AS interviews,
               (SELECT count(*) FILTER (WHERE consent) FROM shown) AS consented,
               count(f.interview_id) AS findings,
               avg(f.sentiment) AS mean_sentiment
        FROM shown s JOIN interview_findings f USING (interview_id)""",
        params,
    ).iloc[0]
    mean = row["mean_sentiment"]
    return {
        "interviews": int(row["interviews"]),
        "consented": int(row["consented"]),
        "findings": int(row["findings"]),
        "mean_sentiment": None if pd.isna(mean) else float(mean),
    }


def segment_sizes(
    db: Database, viewer: Viewer, filters: Filters, dimension: str = "role"
) -> pd.DataFrame:
    """Interviews per segment (merged for viewers who may not see small ones)."""
    ctes = _segmented(db, viewer, filters, dimension)
    if ctes is None:
        return _empty("segment", "interviews", "consented", "share")
    sql, params = ctes
    return db.df(
        f"""WITH {sql}
        SELECT segment, count(*) AS interviews, count(*) FILTER (WHERE consent) AS consented,
               count(*) / sum(count(*)) OVER () AS share
        FROM shown GROUP BY segment
        ORDER BY (segment = $other), interviews DESC, segment""",
        {**params, "other": OTHER},
    )


def theme_frequency(
    db: Database, viewer: Viewer, filters: Filters, dimension: str | None = None
) -> pd.DataFrame:
    """Share of interviews mentioning each theme, overall (segment 'all') or by segment."""
    ctes = _segmented(db, viewer, filters, dimension)
    if ctes is None:
        return _empty("segment", "theme", "interviews", "segment_interviews", "share")
    sql, params = ctes
    return db.df(
        f"""WITH {sql},
        sizes AS (SELECT segment, count(*) AS segment_interviews FROM shown GROUP BY 1),
        themes AS (
            SELECT DISTINCT f.theme FROM interview_findings f JOIN shown USING (interview_id)
        ),
        hits AS (
            SELECT s.segment, f.theme, count(DISTINCT s.interview_id) AS interviews
            FROM shown s JOIN interview_findings f USING (interview_id) GROUP BY ALL
        )
        SELECT z.segment, t.theme, coalesce(h.interviews, 0) AS interviews,
               z.segment_interviews,
               coalesce(h.interviews, 0) / z.segment_interviews AS share
        FROM sizes z CROSS JOIN themes t
        LEFT JOIN hits h ON h.segment = z.segment AND h.theme = t.theme
        ORDER BY (z.segment = $other), z.segment, {_THEME_ORDER.format("t.theme")}""",
        {**params, "other": OTHER, "theme_order": list(THEMES)},
    )


def code_frequency(
    db: Database,
    viewer: Viewer,
    filters: Filters,
    dimension: str | None = None,
    theme: str | None = None,
) -> pd.DataFrame:
    """Share of interviews mentioning each code (optionally of one theme), overall or by
    segment; zero cells are kept so segments compare side by side."""
    ctes = _segmented(db, viewer, filters, dimension)
    columns = ("segment", "theme", "code", "interviews", "segment_interviews", "share")
    if ctes is None:
        return _empty(*columns)
    sql, params = ctes
    return db.df(
        f"""WITH {sql},
        sizes AS (SELECT segment, count(*) AS segment_interviews FROM shown GROUP BY 1),
        codes AS (
            SELECT DISTINCT f.theme, f.code
            FROM interview_findings f JOIN shown USING (interview_id)
            WHERE $theme::VARCHAR IS NULL OR f.theme = $theme
        ),
        hits AS (
            SELECT s.segment, f.theme, f.code, count(DISTINCT s.interview_id) AS interviews
            FROM shown s JOIN interview_findings f USING (interview_id) GROUP BY ALL
        )
        SELECT z.segment, c.theme, c.code, coalesce(h.interviews, 0) AS interviews,
               z.segment_interviews,
               coalesce(h.interviews, 0) / z.segment_interviews AS share
        FROM sizes z CROSS JOIN codes c
        LEFT JOIN hits h ON h.segment = z.segment AND h.theme = c.theme AND h.code = c.code
        ORDER BY (z.segment = $other), z.segment, {_THEME_ORDER.format("c.theme")},
                 interviews DESC, c.code""",
        {**params, "theme": theme or None, "other": OTHER, "theme_order": list(THEMES)},
    )


def barrier_cooccurrence(db: Database, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Pairs of barrier codes named in the same interview (code_a <= code_b; the diagonal
    holds the interviews naming the barrier at all), with counts and share of interviews."""
    ctes = _segmented(db, viewer, filters, None)
    if ctes is None:
        return _empty("code_a", "code_b", "interviews", "share")
    sql, params = ctes
    return db.df(
        f"""WITH {sql},
        barriers AS (
            SELECT DISTINCT s.interview_id, f.code
            FROM shown s JOIN interview_findings f USING (interview_id)
            WHERE f.theme = 'barrier'
        )
        SELECT a.code AS code_a, b.code AS code_b, count(*) AS interviews,
               count(*) / any_value(t.total) AS share
        FROM barriers a JOIN barriers b ON a.interview_id = b.interview_id AND a.code <= b.code
        CROSS JOIN (SELECT count(*) AS total FROM shown) t
        GROUP BY a.code, b.code
        ORDER BY (code_a = code_b), interviews DESC, code_a, code_b""",
        params,
    )


def cooccurrence_matrix(pairs: pd.DataFrame) -> pd.DataFrame:
    """The symmetric code × code matrix of `barrier_cooccurrence` pairs, for a heatmap."""
    if pairs.empty:
        return pd.DataFrame()
    both = pd.concat(
        [
            pairs[["code_a", "code_b", "interviews"]],
            pairs[pairs.code_a != pairs.code_b].rename(
                columns={"code_a": "code_b", "code_b": "code_a"}
            )[["code_a", "code_b", "interviews"]],
        ]
    )
    codes = sorted(set(both.code_a))
    matrix = both.pivot(index="code_a", columns="code_b", values="interviews")
    return matrix.reindex(index=codes, columns=codes).fillna(0).astype(int)


def sentiment_by_segment(
    db: Database, viewer: Viewer, filters: Filters, dimension: str | None = None
) -> pd.DataFrame:
    """Mean sentiment (-1…1) of the findings of each theme, overall or by segment."""
    ctes = _segmented(db, viewer, filters, dimension)
    if ctes is None:
        return _empty("segment", "theme", "findings", "mean_sentiment")
    sql, params = ctes
    return db.df(
        f"""WITH {sql}
        SELECT s.segment, f.theme, count(*) AS findings, avg(f.sentiment) AS mean_sentiment
        FROM shown s JOIN interview_findings f USING (interview_id)
        GROUP BY s.segment, f.theme
        ORDER BY (s.segment = $other), s.segment, {_THEME_ORDER.format("f.theme")}""",
        {**params, "other": OTHER, "theme_order": list(THEMES)},
    )


def skills_mentioned(db: Database, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Skills named in interviews: interviews and findings naming each. Viewers who may not
    see small segments get only skills named in at least the minimum number of interviews."""
    ctes = _segmented(db, viewer, filters, None)
    columns = ("skill_id", "skill", "category", "interviews", "mentions")
    if ctes is None:
        return _empty(*columns)
    sql, params = ctes
    least = 1 if access.can(viewer, "see_small_segments") else min_interviews(db)
    return db.df(
        f"""WITH {sql},
        named AS (
            SELECT s.interview_id, unnest(f.skills) AS skill_id
            FROM shown s JOIN interview_findings f USING (interview_id)
            WHERE f.skills IS NOT NULL
        )
        SELECT n.skill_id, k.name AS skill, k.category,
               count(DISTINCT n.interview_id) AS interviews, count(*) AS mentions
        FROM named n JOIN skills k USING (skill_id)
        GROUP BY n.skill_id, k.name, k.category
        HAVING count(DISTINCT n.interview_id) >= $least
        ORDER BY interviews DESC, mentions DESC, skill""",
        {**params, "least": least},
    )


# -- quotes (curators and admins) ---------------------------------------------------------------
def quotes(
    db: Database,
    viewer: Viewer,
    filters: Filters,
    *,
    text: str = "",
    themes: tuple[str, ...] = (),
    codes: tuple[str, ...] = (),
    dimension: str = "role",
    segments: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Quotes of consenting interviewees matching a text and theme/code/segment filters.

    Only for `see_interview_text`; the interviewee's name and interview id only for curators.
    """
    access.require(viewer, "see_interview_text")
    frame = db.df(
        f"""WITH {_SCOPE_SQL}
        SELECT p.name, i.conducted_on, s.raw_segment AS segment, f.theme, f.code, f.quote,
               f.sentiment, i.interview_id
        FROM scope s
        JOIN interviews i USING (interview_id)
        JOIN interview_findings f USING (interview_id)
        LEFT JOIN people p ON p.person_id = i.person_id
        WHERE s.consent AND f.quote IS NOT NULL AND trim(f.quote) <> ''
          AND (len($themes) = 0 OR list_contains($themes, f.theme))
          AND (len($codes) = 0 OR list_contains($codes, f.code))
          AND (len($segments) = 0 OR list_contains($segments, s.raw_segment))
          AND ($needle = ''
               OR contains(lower(f.quote), lower($needle))
               OR contains(lower(f.code), lower($needle)))
        ORDER BY i.conducted_on DESC, i.interview_id, f.theme, f.code""",
        {
            **_scope_params(filters, dimension),
            "themes": [str(theme) for theme in themes],
            "codes": list(codes),
            "segments": list(segments),
            "needle": (text or "").strip(),
        },
    )
    if viewer.role in NAMED_QUOTE_ROLES:
        return frame
    return frame.drop(columns=["name", "interview_id"])


def quote_facets(db: Database, viewer: Viewer) -> dict[str, list[str]]:
    """Themes and codes a curator can filter quotes by."""
    access.require(viewer, "see_interview_text")
    rows = db.rows("SELECT DISTINCT theme, code FROM interview_findings ORDER BY 1, 2")
    return {
        "themes": sorted({theme for theme, _ in rows}, key=_theme_order),
        "codes": [code for _, code in rows],
    }


def _theme_order(theme: str) -> tuple[int, str]:
    return (THEMES.index(theme) if theme in THEMES else len(THEMES), theme)


# -- reports -------------------------------------------------------------------------------------
@report("interview-codes", "Share of interviews naming each theme and code (aggregates only)")
def code_report(db: Database, viewer: Viewer, **options) -> pd.DataFrame:
    """The code frequency of every interview, for the CLI."""
    return code_frequency(db, viewer, Filters())


@report("interview-barriers", "Barrier codes named together in the same interview")
def barrier_report(db: Database, viewer: Viewer, **options) -> pd.DataFrame:
    """Co-occurring barriers of every interview, for the CLI."""
    return barrier_cooccurrence(db, viewer, Filters())
