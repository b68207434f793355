"""Interview insights on a small hand-made set of interviews: known numbers, and the privacy
rules (small segments, consent, quotes and names) for every role."""

from datetime import date

import pandas as pd
import pytest

from lib.access import AccessDenied, Viewer
from lib.errors import Refusal, message
from lib.filters import Filters
from lib.insights import interview_skills, interviews
from lib.reporting import all_reports

LEADERSHIP = Viewer("leadership")
PLANNER = Viewer("planner")
CURATOR = Viewer("curator", email="curator@bank.example")
ADMIN = Viewer("admin")
EVERYONE = Filters(as_of=date(2025, 1, 1))

SECRET = "SECRET words said without consent"
EXEC_QUOTE = "EXEC approvals take forever"

# person, department, hired_on, wave
PEOPLE = [
    ("P1", "IT", date(2023, 1, 1), 1),
    ("P2", "IT", date(2020, 1, 1), 1),
    ("P3", "IT", date(2010, 1, 1), 1),
    ("P4", "IT", date(2019, 1, 1), 1),
    ("P5", "IT", date(2016, 1, 1), 1),
    ("P6", "Risk", date(2012, 1, 1), 1),
    ("P7", "Risk", date(2021, 1, 1), 2),
    ("P8", "Risk", date(2005, 1, 1), 1),
    ("P9", "Security", date(2018, 1, 1), 1),
]
# interview, person, segment, consent
INTERVIEWS = [
    ("I1", "P1", "heads", True),
    ("I2", "P2", "heads", True),
    ("I3", "P3", "heads", False),
    ("I4", "P4", "heads", True),
    ("I5", "P5", "experts", True),
    ("I6", "P6", "experts", True),
    ("I7", "P7", "experts", True),
    ("I8", "P8", "executives", False),
    ("I9", "P9", "executives", True),
]
# interview, theme, code, quote, sentiment, skills
FINDINGS = [
    ("I1", "barrier", "high_workload", "Q1 my job takes everything", -0.8, None),
    ("I1", "barrier", "no_time_to_prepare", "Q1 no time to prepare", -0.6, None),
    ("I1", "need", "clear_role", "Q1 tell me what is expected", 0.2, None),
    ("I2", "barrier", "high_workload", "Q2 too much work", -0.6, None),
    ("I2", "barrier", "unclear_status", "Q2 what does it mean", -0.4, None),
    ("I2", "motivation", "personal_brand", "Q2 my name in the industry", 0.6, ["S1"]),
    ("I3", "barrier", "high_workload", SECRET, -0.7, None),
    ("I3", "barrier", "no_time_to_prepare", SECRET + " again", -0.5, None),
    ("I4", "need", "clear_role", "Q4 a plan per quarter", 0.0, None),
    ("I4", "value", "openness", "Q4 we can say what fails", 0.5, ["S1"]),
    ("I5", "barrier", "unclear_status", "Q5 nobody knows the status", -0.5, None),
    ("I5", "motivation", "personal_brand", "Q5 speaking builds a name", 0.4, ["S1", "S2"]),
    ("I6", "barrier", "high_workload", "Q6 no room at all", -0.9, None),
    ("I7", "idea", "buddy_programme", "Q7 pair the newcomers", 0.3, None),
    ("I8", "barrier", "high_workload", SECRET + " from the top", -1.0, None),
    ("I8", "motivation", "influence", SECRET + " about influence", 0.8, ["S2"]),
    ("I9", "barrier", "approval_red_tape", EXEC_QUOTE, -0.5, None),
    ("I9", "value", "expertise_sharing", "EXEC sharing is why I joined", 0.7, ["S3"]),
]


@pytest.fixture
def db(empty_db):
    """Nine interviews: heads 4, experts 3, executives 2 (one without consent each in heads
    and executives); departments IT 5, Risk 3, Security 1."""
    with empty_db.transaction() as cur:
        for skill in ("S1", "S2", "S3"):
            cur.execute(
                "INSERT INTO skills (skill_id, name) VALUES (?, ?)", [skill, f"Skill {skill}"]
            )
        for person, department, hired, wave in PEOPLE:
            cur.execute(
                "INSERT INTO people (person_id, name, department, hired_on) VALUES (?, ?, ?, ?)",
                [person, f"Name {person}", department, hired],
            )
            cur.execute(
                "INSERT INTO memberships (person_id, wave, status, joined_on) "
                "VALUES (?, ?, 'active', '2022-01-01')",
                [person, wave],
            )
        for interview, person, segment, consent in INTERVIEWS:
            cur.execute(
                "INSERT INTO interviews (interview_id, person_id, conducted_on, segment, consent) "
                "VALUES (?, ?, '2024-06-01', ?, ?)",
                [interview, person, segment, consent],
            )
        for row in FINDINGS:
            cur.execute("INSERT INTO interview_findings VALUES (?, ?, ?, ?, ?, ?)", list(row))
    return empty_db


def shares(frame: pd.DataFrame, code: str) -> dict[str, float]:
    rows = frame[frame.code == code]
    return {r.segment: round(r.share, 4) for r in rows.itertuples()}


# -- merging small segments -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ({"a": 3, "b": 3}, {"a": "a", "b": "b"}),
        ({"a": 5, "b": 2, "c": 2}, {"a": "a", "b": "other", "c": "other"}),
        ({"a": 5, "b": 4, "c": 2}, {"a": "a", "b": "other", "c": "other"}),
        ({"a": 10, "b": 1, "c": 1}, {"a": "other", "b": "other", "c": "other"}),
        ({"a": 1, "b": 1}, {}),
        ({}, {}),
    ],
)
def test_small_segments_merge_into_other_so_none_can_be_subtracted(sizes, expected):
    assert interviews.merge_small_segments(sizes, 3) == expected


# -- aggregation numbers ----------------------------------------------------------------------
def test_summary_counts_every_interview_including_those_without_consent(db):
    summary = interviews.interview_summary(db, LEADERSHIP, EVERYONE)
    assert summary["interviews"] == 9
    assert summary["consented"] == 7
    assert summary["findings"] == 18
    assert summary["mean_sentiment"] == pytest.approx(sum(f[4] for f in FINDINGS) / 18)


def test_code_frequency_overall(db):
    codes = interviews.code_frequency(db, LEADERSHIP, EVERYONE)
    assert set(codes.segment) == {"all"}
    assert shares(codes, "high_workload") == {"all": round(5 / 9, 4)}
    assert shares(codes, "clear_role") == {"all": round(2 / 9, 4)}
    row = codes[codes.code == "personal_brand"].iloc[0]
    assert (row.theme, row.interviews, row.segment_interviews) == ("motivation", 2, 9)


def test_theme_frequency_by_role_for_curators(db):
    themes = interviews.theme_frequency(db, CURATOR, EVERYONE, "role")
    barrier = themes[themes.theme == "barrier"].set_index("segment")
    assert barrier.interviews.to_dict() == {"executives": 2, "experts": 2, "heads": 3}
    assert barrier.segment_interviews.to_dict() == {"executives": 2, "experts": 3, "heads": 4}
    ideas = themes[themes.theme == "idea"].set_index("segment").interviews.to_dict()
    assert ideas == {"executives": 0, "experts": 1, "heads": 0}


def test_under_three_segment_shown_to_curators_and_merged_for_leadership(db):
    curator = interviews.code_frequency(db, CURATOR, EVERYONE, "role")
    assert shares(curator, "high_workload") == {
        "executives": 0.5,
        "experts": round(1 / 3, 4),
        "heads": 0.75,
    }
    for viewer in (LEADERSHIP, PLANNER):
        merged = interviews.code_frequency(db, viewer, EVERYONE, "role")
        # executives (2) join "other"; "other" is still under 3, so experts (3) join it too.
        assert shares(merged, "high_workload") == {"heads": 0.75, "other": 0.4}
        sizes = interviews.segment_sizes(db, viewer, EVERYONE, "role")
        assert dict(zip(sizes.segment, sizes.interviews, strict=True)) == {"heads": 4, "other": 5}
        assert "executives" not in set(
            interviews.sentiment_by_segment(db, viewer, EVERYONE, "role").segment
        )
        assert "executives" not in set(
            interviews.theme_frequency(db, viewer, EVERYONE, "role").segment
        )


def test_every_shown_segment_has_at_least_three_interviews_for_leadership(db):
    for dimension in interviews.DIMENSIONS:
        sizes = interviews.segment_sizes(db, LEADERSHIP, EVERYONE, dimension)
        assert (sizes.interviews >= 3).all(), dimension
        assert sizes.interviews.sum() == 9


def test_derived_segments_department_tenure_and_wave(db):
    department = interviews.segment_sizes(db, CURATOR, EVERYONE, "department")
    assert dict(zip(department.segment, department.interviews, strict=True)) == {
        "IT": 5,
        "Risk": 3,
        "Security": 1,
    }
    merged = interviews.segment_sizes(db, LEADERSHIP, EVERYONE, "department")
    assert dict(zip(merged.segment, merged.interviews, strict=True)) == {"IT": 5, "other": 4}
    tenure = interviews.segment_sizes(db, CURATOR, EVERYONE, "tenure")
    # Tenure at the interview (2024-06-01).
    assert dict(zip(tenure.segment, tenure.interviews, strict=True)) == {
        "10plus": 3,
        "5to10": 3,
        "2to5": 2,
        "lt2": 1,
    }
    wave = interviews.segment_sizes(db, CURATOR, EVERYONE, "wave")
    assert dict(zip(wave.segment, wave.interviews, strict=True)) == {"1": 8, "2": 1}
    assert set(interviews.segment_sizes(db, LEADERSHIP, EVERYONE, "wave").segment) == {"other"}


def test_a_filter_never_narrows_leaderships_aggregates(db):
    """Security has one interviewee: a Security-only view must not show their answers, and
    neither may [IT, Security] minus [IT] — leadership's aggregates cover the whole club."""
    security = Filters(departments=("Security",), as_of=EVERYONE.as_of)
    whole = interviews.interview_summary(db, LEADERSHIP, EVERYONE)
    assert interviews.interview_summary(db, LEADERSHIP, security) == whole
    assert interviews.filters_ignored(LEADERSHIP, security)
    assert not interviews.filters_ignored(CURATOR, security)
    assert interviews.interview_summary(db, CURATOR, security)["interviews"] == 1


@pytest.mark.parametrize("viewer", [LEADERSHIP, PLANNER], ids=["leadership", "planner"])
def test_subtracting_two_filtered_views_recovers_nothing(db, viewer):
    broad = Filters(departments=("IT", "Security"), as_of=EVERYONE.as_of)
    narrow = Filters(departments=("IT",), as_of=EVERYONE.as_of)
    for dimension in (None, "role", "department", "tenure", "wave"):
        for read in (interviews.code_frequency, interviews.theme_frequency):
            left = read(db, viewer, broad, dimension)
            right = read(db, viewer, narrow, dimension)
            pd.testing.assert_frame_equal(left, right)
        pd.testing.assert_frame_equal(
            interviews.sentiment_by_segment(db, viewer, broad, dimension),
            interviews.sentiment_by_segment(db, viewer, narrow, dimension),
        )
    pd.testing.assert_frame_equal(
        interviews.barrier_cooccurrence(db, viewer, broad),
        interviews.barrier_cooccurrence(db, viewer, narrow),
    )
    # A curator, who may see small segments anyway, gets the filtered numbers.
    curator_broad = interviews.interview_summary(db, CURATOR, broad)["interviews"]
    assert curator_broad == interviews.interview_summary(db, CURATOR, narrow)["interviews"] + 1


def test_tenure_of_an_undated_interview_counts_to_the_analysis_day(db):
    db.execute("UPDATE interviews SET conducted_on = NULL WHERE interview_id = 'I1'")
    # P1 was hired on 2023-01-01: under two years on 2024-12-01, just over two on 2025-01-01.
    for as_of, band in ((date(2024, 12, 1), "lt2"), (date(2025, 1, 1), "2to5")):
        sizes = interviews.segment_sizes(db, CURATOR, Filters(as_of=as_of), "tenure")
        assert (
            dict(zip(sizes.segment, sizes.interviews, strict=True))[band]
            == {
                "lt2": 1,
                "2to5": 3,
            }[band]
        )


def test_an_unknown_dimension_is_refused_in_the_viewers_language(db):
    with pytest.raises(Refusal) as refused:
        interviews.theme_frequency(db, CURATOR, EVERYONE, "shoe_size")
    assert message(refused.value, "ru") == (
        "Неизвестное измерение сегментов: shoe_size; допустимы: role, department, tenure, wave."
    )


def test_filters_narrow_the_interviews_for_staff(db):
    it_only = Filters(departments=("IT",), as_of=EVERYONE.as_of)
    assert interviews.interview_summary(db, CURATOR, it_only)["interviews"] == 5
    assert interviews.interview_summary(db, LEADERSHIP, it_only)["interviews"] == 9
    wave2 = Filters(waves=(2,), as_of=EVERYONE.as_of)
    assert interviews.interview_summary(db, CURATOR, wave2)["interviews"] == 1


def test_barrier_cooccurrence_counts_pairs_in_the_same_interview(db):
    pairs = interviews.barrier_cooccurrence(db, LEADERSHIP, EVERYONE)
    found = {(r.code_a, r.code_b): r.interviews for r in pairs.itertuples()}
    assert found == {
        ("high_workload", "no_time_to_prepare"): 2,
        ("high_workload", "unclear_status"): 1,
        ("high_workload", "high_workload"): 5,
        ("no_time_to_prepare", "no_time_to_prepare"): 2,
        ("unclear_status", "unclear_status"): 2,
        ("approval_red_tape", "approval_red_tape"): 1,
    }
    matrix = interviews.cooccurrence_matrix(pairs)
    assert matrix.loc["no_time_to_prepare", "high_workload"] == 2
    assert matrix.loc["high_workload", "no_time_to_prepare"] == 2
    assert matrix.loc["approval_red_tape", "unclear_status"] == 0
    assert list(matrix.index) == list(matrix.columns)


def test_sentiment_by_theme_and_segment(db):
    overall = interviews.sentiment_by_segment(db, LEADERSHIP, EVERYONE).set_index("theme")
    assert overall.loc["barrier", "findings"] == 10
    assert overall.loc["barrier", "mean_sentiment"] == pytest.approx(-0.65)
    by_role = interviews.sentiment_by_segment(db, CURATOR, EVERYONE, "role")
    executives = by_role[(by_role.segment == "executives") & (by_role.theme == "barrier")]
    assert executives.mean_sentiment.iloc[0] == pytest.approx(-0.75)


def test_skills_mentioned_hide_rare_skills_from_leadership(db):
    curator = interviews.skills_mentioned(db, CURATOR, EVERYONE)
    assert dict(zip(curator.skill_id, curator.interviews, strict=True)) == {
        "S1": 3,
        "S2": 2,
        "S3": 1,
    }
    leadership = interviews.skills_mentioned(db, LEADERSHIP, EVERYONE)
    assert list(leadership.skill_id) == ["S1"]


def test_unknown_dimension_is_a_clear_error(db):
    with pytest.raises(ValueError, match="dimension"):
        interviews.segment_sizes(db, CURATOR, EVERYONE, "shoe_size")


# -- quotes -----------------------------------------------------------------------------------
def test_quotes_only_for_curators_and_admins(db):
    for viewer in (LEADERSHIP, PLANNER, None):
        with pytest.raises(AccessDenied):
            interviews.quotes(db, viewer, EVERYONE)
        with pytest.raises(AccessDenied):
            interviews.quote_facets(db, viewer)


def test_quotes_without_consent_never_returned(db):
    for viewer in (CURATOR, ADMIN):
        found = interviews.quotes(db, viewer, EVERYONE)
        assert len(found) == 14
        assert not found.quote.str.contains("SECRET").any()
        assert interviews.quotes(db, viewer, EVERYONE, text="secret").empty
        assert interviews.quotes(db, viewer, EVERYONE, codes=("influence",)).empty


def test_quote_names_only_for_curators(db):
    curator = interviews.quotes(db, CURATOR, EVERYONE, text="approvals")
    assert curator[["interview_id", "name", "quote"]].values.tolist() == [
        ["I9", "Name P9", EXEC_QUOTE]
    ]
    admin = interviews.quotes(db, ADMIN, EVERYONE, text="approvals")
    assert list(admin.quote) == [EXEC_QUOTE]
    assert not {"name", "interview_id", "person_id"} & set(admin.columns)


def test_quote_search_by_text_theme_code_and_segment(db):
    assert len(interviews.quotes(db, CURATOR, EVERYONE, text="NAME")) == 2
    assert len(interviews.quotes(db, CURATOR, EVERYONE, text="50%_")) == 0
    barriers = interviews.quotes(db, CURATOR, EVERYONE, themes=("barrier",))
    assert len(barriers) == 7
    experts = interviews.quotes(db, CURATOR, EVERYONE, segments=("experts",))
    assert sorted(experts.interview_id.unique()) == ["I5", "I6", "I7"]
    security = interviews.quotes(
        db, CURATOR, EVERYONE, dimension="department", segments=("Security",)
    )
    assert set(security.interview_id) == {"I9"}
    facets = interviews.quote_facets(db, CURATOR)
    assert facets["themes"] == ["barrier", "need", "motivation", "idea", "value"]


# -- interview evidence for the expertise map -------------------------------------------------
def test_interview_skill_claims_leave_out_interviews_without_consent(db):
    claims = interview_skills.interview_skill_claims(db, CURATOR)
    assert claims[["person_id", "skill_id", "level", "source", "evidence"]].values.tolist() == [
        ["P2", "S1", 2, "interview", "I2:personal_brand"],
        ["P4", "S1", 2, "interview", "I4:openness"],
        ["P5", "S1", 2, "interview", "I5:personal_brand"],
        ["P5", "S2", 2, "interview", "I5:personal_brand"],
        ["P9", "S3", 2, "interview", "I9:expertise_sharing"],
    ]
    assert set(claims.confirmed_on.astype(str)) == {"2024-06-01"}
    with pytest.raises(AccessDenied):
        interview_skills.interview_skill_claims(db, LEADERSHIP)


def test_sync_interview_skills_upserts_once_and_audits(db):
    db.execute(
        "INSERT INTO person_skills (person_id, skill_id, level, source) "
        "VALUES ('P2', 'S1', 4, 'interview')"
    )
    assert interview_skills.sync_interview_skills(db, CURATOR) == {
        "inserted": 4,
        "updated": 1,
        "rejected": 0,
    }
    rows = db.rows(
        "SELECT person_id, skill_id, level, evidence FROM person_skills "
        "WHERE source = 'interview' ORDER BY 1, 2"
    )
    assert rows[0] == ("P2", "S1", 4, "I2:personal_brand")
    assert len(rows) == 5
    assert interview_skills.sync_interview_skills(db, CURATOR) == {
        "inserted": 0,
        "updated": 0,
        "rejected": 0,
    }
    audit = db.rows(
        "SELECT actor, inserted, updated FROM audit_log WHERE action = 'interview_skills' "
        "ORDER BY entry_id"
    )
    assert audit == [("curator@bank.example", 4, 1), ("curator@bank.example", 0, 0)]
    for viewer in (LEADERSHIP, PLANNER):
        with pytest.raises(AccessDenied):
            interview_skills.sync_interview_skills(db, viewer)


def test_sync_skips_skills_missing_from_the_taxonomy(db):
    db.execute(
        "INSERT INTO interview_findings VALUES ('I1', 'value', 'openness', 'x', 0.1, ['S404'])"
    )
    assert interview_skills.sync_interview_skills(db, ADMIN)["rejected"] == 1
    assert not db.scalar("SELECT count(*) FROM person_skills WHERE skill_id = 'S404'")


# -- everyone needs a role --------------------------------------------------------------------
def test_aggregates_need_a_viewer(db):
    with pytest.raises(AccessDenied):
        interviews.code_frequency(db, None, EVERYONE)


def test_reports_give_leadership_aggregates_only(db):
    registered = all_reports()
    codes = registered["interview-codes"].run(db, LEADERSHIP)
    assert "quote" not in codes.columns
    assert shares(codes, "high_workload") == {"all": round(5 / 9, 4)}
    pairs = registered["interview-barriers"].run(db, LEADERSHIP)
    assert pairs.interviews.max() == 5
