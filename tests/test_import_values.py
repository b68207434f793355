"""Imports of real files: external identifiers, the dry run as a rolled-back import, value
normalisation of categorical columns, and the taxonomy counted apart from held skills."""

import csv
import io

import pytest

from lib import access
from lib.board.overview import skills_by_category
from lib.cli import main
from lib.io import ingest, kinds, values
from lib.io.fileread import read_table
from lib.store.db import Database

CURATOR = access.Viewer("curator")
ESCO = "http://data.europa.eu/esco/skill/"


def load(db, kind, text, mode="strict", name="upload.csv", **options):
    raw = read_table(text.encode("utf-8"), name)
    return ingest.import_table(db, CURATOR, kind, raw, mode=mode, **options)


def data_checksums(db) -> dict[str, str]:
    """Every table's fingerprint but the audit log, which records each import by design."""
    return {k: v for k, v in db.table_checksums().items() if k != "audit_log"}


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


# -- 1. external identifiers ------------------------------------------------------------------
def taxonomy_file() -> tuple[str, list[str]]:
    """A published taxonomy's shape: URI ids of ~70 characters, alternative labels on several
    lines inside one quoted cell, keys with / : # @ from other systems."""
    ids = [
        f"{ESCO}0005c151-5b5a-4a66-8aac-60e734beb1ab",
        f"{ESCO}000f1d3d-220f-4789-9c0a-cc742521fb02",
        "hr-system:ORG/skills#42@bank.example",
        "x" * 255,
    ]
    rows = [["conceptUri", "preferredLabel", "altLabels", "skillType"]]
    rows.append(
        [ids[0], "manage musical staff", "manage staff of music\ncoordinate musicians", "S"]
    )
    rows.append([ids[1], "Python (computer programming)", "питон\npython3\r\npy3", "K"])
    rows.append([ids[2], "Credit scoring", "скоринг; scoring", "K"])
    rows.append([ids[3], "Longest key", "", "K"])
    return csv_text(rows), ids


def test_long_uri_identifiers_import_exactly_and_again_change_nothing(tiny_db):
    text, ids = taxonomy_file()
    assert len(ids[0]) == 69
    mapping = {"conceptUri": "skill_id", "skillType": "category"}
    first = load(tiny_db, "skills", text, mapping=mapping)
    assert first.problems.empty and (first.inserted, first.updated) == (4, 0)
    stored = dict(
        tiny_db.rows("SELECT skill_id, aliases FROM skills WHERE skill_id IN $ids", {"ids": ids})
    )
    assert stored == {
        ids[0]: ["manage staff of music", "coordinate musicians"],
        ids[1]: ["питон", "python3", "py3"],
        ids[2]: ["скоринг", "scoring"],
        ids[3]: None,
    }
    before = data_checksums(tiny_db)
    again = load(tiny_db, "skills", text, mapping=mapping)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    assert data_checksums(tiny_db) == before
    claims = csv_text([["person_id", "skill", "level"], ["E000001", ids[0], "3"]])
    assert load(tiny_db, "person_skills", claims).inserted == 1


@pytest.mark.parametrize(
    ("skill_id", "reason"),
    [
        ("y" * 256, "Longer than 255 characters (256)."),
        ("urn:skill:\x07bell", "Contains control characters or line breaks."),
        ("urn:skill:\u202eevil", "Contains control characters or line breaks."),
        ("urn:skill:a\tb", "Contains control characters or line breaks."),
        ("", "A value is required."),
    ],
)
def test_bad_identifiers_are_refused_with_a_reason(tiny_db, skill_id, reason):
    before = data_checksums(tiny_db)
    report = load(tiny_db, "skills", csv_text([["skill_id", "name"], [skill_id, "Bad"]]))
    assert report.problems["reason"].tolist() == [reason]
    assert not report.written and data_checksums(tiny_db) == before


# -- 2. the dry run is the import without the commit -------------------------------------------
def test_dry_run_strict_and_skip_bad_report_the_same_counts(tiny_db):
    old = tiny_db.rows("SELECT name, department FROM people WHERE person_id = 'E000001'")[0]
    same = tiny_db.rows("SELECT name, department FROM people WHERE person_id = 'E000002'")[0]
    text = (
        "person_id,name,department\n"
        "E000001,Renamed Person,IT\n"  # updated
        f"E000002,{same[0]},{same[1]}\n"  # unchanged
        "N1,New Person,IT\n"  # inserted
        "N2,Other New,\n"  # inserted
        ",Nobody,IT\n"  # bad: no key
    )
    before = data_checksums(tiny_db)
    dry = load(tiny_db, "people", text, mode="dry-run")
    strict = load(tiny_db, "people", text, mode="strict")
    assert data_checksums(tiny_db) == before
    skip = load(tiny_db, "people", text, mode="skip-bad")
    counts = [(r.inserted, r.updated, r.unchanged, r.rejected) for r in (dry, strict, skip)]
    assert counts == [(2, 1, 1, 1)] * 3
    assert not dry.written and not strict.written and skip.written
    expected = [("E000001", "name", old[0], "Renamed Person")]
    if old[1] != "IT":
        expected.append(("E000001", "department", old[1], "IT"))
    for report in (dry, strict, skip):
        assert list(report.changes.itertuples(index=False, name=None)) == expected
    assert "would insert 2, update 1 and leave 1 unchanged. Nothing was written." in dry.summary()


def test_dry_run_of_a_hostile_file_changes_nothing(tiny_db):
    text = (
        "person_id,name,department\n"
        'H1,"Robert\'); DROP TABLE people; --",<script>alert(1)</script>\n'
        'H2,=HYPERLINK("http://evil.example"),ИТ\n'
        "H3\x07,Bell,IT\n"
    )
    before = data_checksums(tiny_db)
    report = load(tiny_db, "people", text, mode="dry-run")
    assert (report.inserted, report.rejected) == (2, 1)
    assert report.problems["reason"].tolist() == ["Contains control characters or line breaks."]
    assert data_checksums(tiny_db) == before
    assert tiny_db.count("people") == 400


def _department(db, person_id):
    return db.scalar("SELECT department FROM people WHERE person_id = $p", {"p": person_id})


# -- 3. value normalisation ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "stored", "expected"),
    [
        ("it", ["IT", "Risk"], ("IT", "case")),
        ("ИТ", ["IT", "Risk"], ("IT", "pair")),
        ("Финансы", ["Finance", "IT"], ("Finance", "pair")),
        ("Маркетинг", ["Marketing"], ("Marketing", "pair")),
        ("Г12", ["G12", "G14"], ("G12", "script")),
        ("Human Resources", ["HR", "IT"], ("HR", "abbreviation")),
        ("ЦП", ["Цифровые продукты"], ("Цифровые продукты", "abbreviation")),
        ("Retial banking", ["Retail banking", "IT"], ("Retail banking", "typo")),
        ("Quantum", ["IT", "Risk"], (None, None)),
    ],
)
def test_values_get_a_proposed_match_and_why(value, stored, expected):
    assert values.propose(value, stored) == expected


RUSSIAN_EXPORT = (
    "Табельный номер;ФИО;Подразделение;Город\n"
    "E000001;Анна Иванова;ИТ;Москва\n"
    "E000002;Борис Петров;Финансы;Москва\n"
    "N9001;Вера Новая;Новый отдел;Казань\n"
    "N9002;Глеб Лишний;Удалить;Москва\n"
)


def test_russian_export_over_english_values_is_mapped_by_the_curators_decisions(tiny_db):
    spec = kinds.KINDS["people"]
    raw = read_table(RUSSIAN_EXPORT.encode("cp1251"), "hr_ru.csv")
    mapping = {"Табельный номер": "person_id", "ФИО": "name", "Подразделение": "department"}
    mapping["Город"] = "location"
    review = values.value_review(tiny_db, spec, raw, mapping)
    new = review[~review["known"]].set_index("value")
    assert new.loc["ИТ", ["proposed", "reason", "decision", "rows"]].tolist() == [
        "IT",
        "pair",
        "map",
        1,
    ]
    assert new.loc["Новый отдел", ["proposed", "decision"]].tolist() == [None, "keep"]
    assert new.loc["Москва", ["field", "proposed", "rows"]].tolist() == ["location", "Moscow", 3]

    decisions = values.decisions_from_review(spec, review)
    decisions[("department", "Удалить")] = values.Decision("reject")
    it_before = tiny_db.scalar("SELECT count(*) FROM people WHERE department = 'IT'")
    it_was, finance_was = _department(tiny_db, "E000001"), _department(tiny_db, "E000002")
    departments_before = {r[0] for r in tiny_db.rows("SELECT DISTINCT department FROM people")}
    report = ingest.import_table(
        tiny_db, CURATOR, "people", raw, mapping=mapping, mode="skip-bad", decisions=decisions
    )
    assert (report.inserted, report.updated, report.rejected) == (1, 2, 1)
    assert report.problems["reason"].tolist() == [
        "The curator rejected this value when normalising values."
    ]
    assert tiny_db.rows(
        "SELECT person_id, department, location FROM people "
        "WHERE person_id IN ('E000001', 'E000002', 'N9001') ORDER BY 1"
    ) == [
        ("E000001", "IT", "Moscow"),
        ("E000002", "Finance", "Moscow"),
        ("N9001", "Новый отдел", "Kazan"),
    ]
    departments = {r[0] for r in tiny_db.rows("SELECT DISTINCT department FROM people")}
    assert departments - departments_before == {"Новый отдел"}
    assert "ИТ" not in departments
    it_after = tiny_db.scalar("SELECT count(*) FROM people WHERE department = 'IT'")
    assert it_after == it_before + (0 if it_was == "IT" else 1) - (finance_was == "IT")

    # remembered: the next import of the same export applies them without being told
    again = ingest.import_table(tiny_db, CURATOR, "people", raw, mapping=mapping, mode="strict")
    assert again.problems["reason"].tolist() == [
        "The curator rejected this value when normalising values."
    ]
    skip = ingest.import_table(tiny_db, CURATOR, "people", raw, mapping=mapping, mode="skip-bad")
    assert (skip.inserted, skip.updated, skip.unchanged) == (0, 0, 3)
    remembered = values.remembered_decisions(tiny_db, "people")
    assert remembered[("department", "ИТ")] == values.Decision("map", "IT")
    assert remembered[("department", "Новый отдел")] == values.Decision("keep")


def test_a_file_that_moves_nobody_keeps_every_department_count(tiny_db):
    """The incident: a Russian export of the same people must not move members."""
    rows = tiny_db.rows("SELECT person_id, department FROM people ORDER BY 1 LIMIT 50")
    russian = {"IT": "ИТ", "Finance": "Финансы", "Risk": "Риски", "Marketing": "Маркетинг"}
    text = "person_id,department\n" + "".join(f"{p},{russian.get(d, d)}\n" for p, d in rows if d)
    by_department = "SELECT department, count(*) FROM people GROUP BY 1 ORDER BY 1"
    before = tiny_db.rows(by_department)
    raw = read_table(text.encode(), "same_people.csv")
    spec = kinds.KINDS["people"]
    review = values.value_review(
        tiny_db, spec, raw, {"person_id": "person_id", "department": "department"}
    )
    decisions = values.decisions_from_review(spec, review)
    report = ingest.import_table(
        tiny_db, CURATOR, "people", raw, mode="strict", decisions=decisions
    )
    assert report.written and (report.inserted, report.updated) == (0, 0)
    assert tiny_db.rows(by_department) == before


BAD_VALUE_FILES = [
    ("column,value,mapped_to\nsalary,100,200\n", "salary is not a categorical field of people"),
    ("column,value,mapped_to,decision\ndepartment,ИТ,IT,maybe\n", "Unknown value decision maybe"),
    ("column,value,mapped_to,decision\ndepartment,ИТ,,map\n", "no value to map it to is given"),
    ('column,value,mapped_to\ndepartment,ИТ,"I\x07T"\n', "control characters"),
    ("column,value,mapped_to\nname,Anna,Ann\n", "name is not a categorical field of people"),
    ("колонка,значение\ndepartment,ИТ\n", "needs the columns column, value and mapped_to"),
]


@pytest.mark.parametrize(("text", "message"), BAD_VALUE_FILES)
def test_bad_value_files_are_refused_and_change_nothing(tiny_db, tmp_path, text, message):
    people = tmp_path / "people.csv"
    people.write_text("person_id,department\nE000001,ИТ\n", encoding="utf-8")
    decisions = tmp_path / "values.csv"
    decisions.write_text(text, encoding="utf-8")
    before = data_checksums(tiny_db)
    with pytest.raises(ValueError, match=message):
        ingest.import_file(
            tiny_db, CURATOR, "people", people, mode="skip-bad", value_file=decisions
        )
    assert data_checksums(tiny_db) == before


def test_a_choice_is_mapped_only_to_one_of_its_choices(tiny_db, tmp_path):
    activities = tmp_path / "activities.csv"
    activities.write_text(
        "activity_id,person_id,occurred_on,kind\nA9001,E000001,2026-10-01,Доклад на конференции\n",
        encoding="utf-8",
    )
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("column,value,mapped_to\nkind,Доклад на конференции,keynote\n", "utf-8")
    with pytest.raises(ValueError, match="keynote is not one of: talk_external"):
        ingest.import_file(tiny_db, CURATOR, "activities", activities, value_file=wrong)
    right = tmp_path / "right.csv"
    right.write_text("column,value,mapped_to\nkind,Доклад на конференции,talk_external\n", "utf-8")
    report = ingest.import_file(
        tiny_db, CURATOR, "activities", activities, mode="strict", value_file=right
    )
    assert report.written and report.inserted == 1
    assert tiny_db.scalar("SELECT kind FROM activities WHERE activity_id = 'A9001'") == (
        "talk_external"
    )


def test_cli_proposes_values_then_applies_the_edited_file(tiny_template, tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    path.write_bytes(tiny_template.read_bytes())
    export = tmp_path / "hr_ru.csv"
    export.write_bytes(RUSSIAN_EXPORT.encode("cp1251"))
    proposals = tmp_path / "proposals.csv"
    args = ["--db", str(path), "import", "people", str(export)]
    assert main([*args, "--propose-values", str(proposals)]) == 0
    out = capsys.readouterr().out
    assert "New values in categorical columns" in out and "ИТ" in out
    rows = list(csv.DictReader(io.StringIO(proposals.read_text(encoding="utf-8-sig"))))
    proposed = {r["value"]: (r["column"], r["mapped_to"], r["decision"]) for r in rows}
    assert proposed["ИТ"] == ("department", "IT", "map")
    assert proposed["Казань"] == ("location", "Kazan", "map")
    edited = [r for r in rows if r["value"] != "Удалить"]
    edited.append(
        {"column": "Подразделение", "value": "Удалить", "mapped_to": "", "decision": "reject"}
    )
    with open(proposals, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, ["column", "value", "mapped_to", "decision"], extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(edited)
    assert main([*args, "--values", str(proposals), "--mode", "skip-bad"]) == 0
    assert "1 inserted, 2 updated, 0 unchanged, 1 rejected" in capsys.readouterr().out
    db = Database(path)
    assert db.scalar("SELECT department FROM people WHERE person_id = 'E000001'") == "IT"
    assert db.scalar("SELECT count(*) FROM value_mappings") == len(edited)
    db.close()
    assert main([*args, "--mode", "skip-bad"]) == 0
    assert "0 inserted, 0 updated, 3 unchanged, 1 rejected" in capsys.readouterr().out


# -- 4. taxonomy against held skills ----------------------------------------------------------
def test_skills_by_category_defaults_to_held_skills(tiny_db):
    held = skills_by_category(tiny_db)
    text = csv_text(
        [["skill_id", "name", "category"]]
        + [[f"T{i}", f"Imported skill {i}", "Imported"] for i in range(500)]
    )
    load(tiny_db, "skills", text)
    after = skills_by_category(tiny_db)
    assert after.equals(held)
    assert "Imported" not in set(after["category"])
    whole = skills_by_category(tiny_db, held_only=False).set_index("category")
    assert whole.loc["Imported", ["skills", "in_taxonomy"]].tolist() == [500, 500]
    assert (after["skills"] <= after["in_taxonomy"]).all()
