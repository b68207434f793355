"""The Data page: upload, mapping form, validation report, import, export, backup, audit log."""

import shutil

import pytest

from lib import access
from lib.io import backup
from lib.store.db import Database, forget
from tests.conftest import ROOT, app_test
from tests.samples import SAMPLES

HR_FILE = SAMPLES / "hr_export_1500.csv"


@pytest.fixture
def data_env(tiny_template, tmp_path, monkeypatch):
    """The app on a private, writable copy of the tiny tier; backups go to tmp_path."""
    path = tmp_path / "page.duckdb"
    shutil.copy(tiny_template, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    monkeypatch.delenv("EXPERTISE_LOCAL_MODE", raising=False)
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(backup, "BACKUP_ROOT", tmp_path / "backups")
    yield path
    forget(path)


def page(role="curator", lang="en"):
    return app_test(role, "pages/data.py", lang=lang)


def upload(at, name, data, mime="text/csv"):
    at.file_uploader(key="data_file").set_value((name, data, mime))
    at.run()
    return at


def selectbox_for(at, column):
    return next(s for s in at.selectbox if s.label == column)


def frame_with(at, *columns):
    """The last table on the page that has these columns."""
    return next(d.value for d in reversed(at.dataframe) if set(columns) <= set(d.value.columns))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_page_renders_its_sections(data_env):
    at = page()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Data"
    assert [tab.label for tab in at.tabs] == ["Import", "Export", "Backup", "Audit log"]
    assert at.selectbox(key="data_kind").value == "people"
    assert len(at.file_uploader) == 1


def page_alone(role="curator", lang="en"):
    """The page file run on its own with a viewer, as the router would hand it over."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=60)
    at.session_state["viewer"] = access.Viewer(role)
    at.session_state["lang"] = lang
    at.run()
    return at


@pytest.mark.parametrize("role", ["leadership", "planner"])
def test_other_roles_are_refused(data_env, role):
    """The page checks the role itself, even when opened without the router's navigation."""
    at = page_alone(role)
    assert not at.exception
    assert any("does not give access" in e.value for e in at.error)
    assert not at.file_uploader


def test_hr_export_guessed_mapping_report_and_import_of_good_rows(data_env):
    at = upload(page(), HR_FILE.name, HR_FILE.read_bytes())
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.value.startswith("1,500 data rows, 12 columns") for c in at.caption)
    assert selectbox_for(at, "Табельный номер").value == "person_id"
    assert selectbox_for(at, "ФИО").value == "name"
    assert selectbox_for(at, "Дата приема").value == "hired_on"
    assert selectbox_for(at, "Ставка").value == ""
    assert any("Ignored columns: Сектор, Ставка" in c.value for c in at.caption)

    before = Database(data_env).table_checksums()
    selectbox_for(at, "Сектор").set_value("team")
    button(at, "Dry run").click()
    at.run()
    assert not at.exception
    dry = {m.label: m.value for m in at.metric}
    assert dry["Rows"] == "1,500" and dry["Problems"] == "23" and dry["Good rows"] == "1,477"
    # the dry run is the import rolled back: its counts are the ones the import reports
    assert (dry["Inserted"], dry["Updated"], dry["Unchanged"]) == ("1,084", "393", "0")
    assert dry["Values mapped"] == "26"
    changes = frame_with(at, "key", "field", "before", "after")
    assert {"department", "team", "name"} <= set(changes["field"])
    problems = frame_with(at, "row", "column", "value", "reason")
    assert len(problems) == 23
    assert "A value is required." in set(problems["reason"])
    assert Database(data_env).table_checksums() == before

    button(at, "Import good rows").click()
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rejected"] == "23"
    assert {k: metrics[k] for k in ("Inserted", "Updated", "Unchanged")} == {
        k: dry[k] for k in ("Inserted", "Updated", "Unchanged")
    }
    rejects = frame_with(at, "Табельный номер", "reason")
    assert len(rejects) == 23
    db = Database(data_env)
    # the proposed matches were in force: Russian names of English values are mapped
    assert db.rows("SELECT department, team FROM people WHERE person_id = 'E000001'") == [
        ("Data & AI", "Platform")
    ]
    assert db.scalar("SELECT count(*) FROM people WHERE department = 'ИТ'") == 0
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'import'") == 1
    assert db.scalar("SELECT count(*) FROM value_mappings WHERE decision = 'map'") == 26
    remembered = db.scalar("SELECT mapping FROM import_mappings WHERE actor = 'local:curator'")
    assert '"Сектор": "team"' in remembered


def test_broken_file_shows_a_clear_error(data_env):
    at = upload(page(), "truncated.xlsx", (ROOT / "tests/files/truncated.xlsx").read_bytes())
    assert not at.exception
    assert any("damaged or incomplete" in e.value for e in at.error)


def test_excel_upload_offers_its_sheets(data_env):
    data = (ROOT / "tests/files/people.xlsx").read_bytes()
    at = upload(page(), "people.xlsx", data, "application/vnd.ms-excel")
    assert not at.exception
    assert at.selectbox(key="data_sheet").options == ["people", "notes"]
    assert selectbox_for(at, "Табельный номер").value == "person_id"


def test_export_backup_and_audit_log(data_env, tmp_path):
    at = page()
    at.selectbox(key="data_export_name").set_value("skills")
    button(at, "Prepare export").click()
    at.run()
    assert not at.exception
    assert any(c.value.startswith("60 rows.") for c in at.caption)
    button(at, "Back up now").click()
    at.run()
    assert not at.exception
    assert any("Backup written" in s.value for s in at.success)
    assert len(backup.list_backups(tmp_path / "backups")) == 1
    log = frame_with(at, "logged_at", "action")
    assert "backup" in set(log["action"])


def test_page_in_russian(data_env):
    at = page_alone(lang="ru")
    assert not at.exception
    assert at.title[0].value == "Данные"
    assert at.tabs[0].label == "Импорт"
