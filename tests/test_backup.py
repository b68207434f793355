"""Exports, backups and verified restores."""

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lib import access
from lib.cli import main
from lib.io import backup, ingest, reports, restore
from lib.io.fileread import read_table
from lib.store.db import Database, forget
from tests import hostile_files

CURATOR = access.Viewer("curator")
ADMIN = access.Viewer("admin")
AUDIT_WITHOUT_RESTORES = (
    "SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(t))::VARCHAR, '0') "
    "FROM audit_log AS t WHERE action <> 'restore'"
)


def scramble(db: Database) -> None:
    """Change several tables the way a bad day would."""
    with db.transaction() as cur:
        cur.execute("DELETE FROM people WHERE person_id < 'E000100'")
        cur.execute("UPDATE skills SET name = 'renamed'")
        cur.execute("DELETE FROM activities")
        cur.execute("INSERT INTO charter (body, author) VALUES ('new charter', 'me')")
    db.audit("test", actor="me")


def test_backup_then_restore_brings_every_table_back(tiny_db, tmp_path):
    before = tiny_db.table_checksums()
    counts = tiny_db.counts()
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["people"] == {"rows": 400, "checksum": before["people"]}
    scramble(tiny_db)
    assert tiny_db.table_checksums() != before

    restored = restore.restore(tiny_db, CURATOR, folder)
    assert restored == counts
    after = tiny_db.table_checksums()
    assert {t: after[t] for t in after if t != "audit_log"} == {
        t: before[t] for t in before if t != "audit_log"
    }
    assert tiny_db.scalar(AUDIT_WITHOUT_RESTORES) == before["audit_log"]
    assert tiny_db.rows("SELECT action, actor FROM audit_log ORDER BY entry_id DESC LIMIT 1") == [
        ("restore", "local:curator")
    ]


def test_restore_from_zip_into_a_fresh_database_keeps_ids_unique(tiny_db, tmp_path):
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    archive = tmp_path / "snap.zip"
    archive.write_bytes(backup.archive(folder))
    fresh = Database(tmp_path / "fresh.duckdb")
    restore.restore(fresh, CURATOR, archive)
    assert fresh.counts()["people"] == 400
    top = fresh.scalar("SELECT max(entry_id) FROM audit_log")
    fresh.audit("after_restore", actor="me")
    assert fresh.scalar("SELECT max(entry_id) FROM audit_log") > top
    fresh.execute("INSERT INTO charter (body, author) VALUES ('next', 'me')")
    fresh.close()


def test_a_tampered_backup_is_refused_and_nothing_changes(tiny_db, tmp_path):
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    shutil.copy(folder / "memberships.parquet", folder / "people.parquet")
    before = tiny_db.table_checksums()
    with pytest.raises(ValueError, match=r"table people holds another table's columns \(wave,"):
        restore.restore(tiny_db, CURATOR, folder)
    assert tiny_db.table_checksums() == before

    fixed = backup.backup(tiny_db, CURATOR, tmp_path / "snap2")
    (fixed / "manifest.json").write_text(
        (fixed / "manifest.json").read_text().replace(before["skills"], "60:0")
    )
    before = tiny_db.table_checksums()
    with pytest.raises(ValueError, match="Restored table skills does not match"):
        restore.restore(tiny_db, CURATOR, fixed)
    assert tiny_db.table_checksums() == before


def test_restore_refuses_what_is_not_a_usable_backup(tiny_db, tmp_path):
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["schema_version"] = 999
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="schema version 999, newer than this database"):
        restore.restore(tiny_db, CURATOR, folder)
    with pytest.raises(ValueError, match=r"No backup folder or \.zip"):
        restore.restore(tiny_db, CURATOR, tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="not a backup of this application"):
        restore.restore(tiny_db, CURATOR, tmp_path / "empty")
    with pytest.raises(ValueError, match="already holds files"):
        backup.backup(tiny_db, CURATOR, folder)


def test_restoring_other_roles_needs_an_admin(tiny_db, tmp_path):
    access.set_role(tiny_db, ADMIN, "boss@bank.example", "admin")
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    access.set_role(tiny_db, ADMIN, "boss@bank.example", None)
    with pytest.raises(access.AccessDenied):
        restore.restore(tiny_db, CURATOR, folder)
    with pytest.raises(access.AccessDenied):
        backup.backup(tiny_db, access.Viewer("planner"), tmp_path / "other")
    restore.restore(tiny_db, ADMIN, folder)
    assert access.role_for(tiny_db, "boss@bank.example") == "admin"


def test_exports_neutralise_formulas(tiny_db, tmp_path):
    ingest.import_table(
        tiny_db,
        CURATOR,
        "people",
        read_table(b'person_id,name,department\nH1,"=HYPERLINK(""x"")",@SUM(A1)\n', "h.csv"),
        mode="strict",
    )
    csv_file, xlsx_file = tmp_path / "people.csv", tmp_path / "people.xlsx"
    assert backup.export_file(tiny_db, CURATOR, "people", csv_file) == 401
    assert backup.export_file(tiny_db, CURATOR, "people", xlsx_file) == 401
    text = csv_file.read_text(encoding="utf-8-sig")
    assert 'H1,"\'=HYPERLINK(""x"")",,\'@SUM(A1),' in text
    sheet = openpyxl.load_workbook(xlsx_file).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "H1")
    assert row[1:4] == ('\'=HYPERLINK("x")', None, "'@SUM(A1)")
    assert tiny_db.scalar("SELECT count(*) FROM audit_log WHERE action = 'export'") == 2


def test_reports_export_for_every_role_but_tables_only_for_staff(tiny_db, tmp_path, monkeypatch):
    def club_size(db, viewer, **options):
        return pd.DataFrame({"role": [viewer.role], "members": [db.count("memberships")]})

    monkeypatch.setitem(reports._REGISTRY, "club-size", reports.Report("club-size", club_size, ""))
    planner = access.Viewer("planner")
    frame = backup.export_frame(tiny_db, planner, "club-size")
    assert frame.to_dict("records") == [{"role": "planner", "members": 40}]
    with pytest.raises(access.AccessDenied):
        backup.export_frame(tiny_db, planner, "people")
    with pytest.raises(ValueError, match="Nothing to export named salaries"):
        backup.export_frame(tiny_db, CURATOR, "salaries")
    monkeypatch.setattr(backup, "EXCEL_MAX_ROWS", 10)
    with pytest.raises(ValueError, match="400 rows do not fit an Excel sheet"):
        backup.export_file(tiny_db, CURATOR, "people", tmp_path / "p.xlsx")


def test_backup_archive_for_download_is_audited(tiny_db, tmp_path):
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    data = backup.archive_for(tiny_db, CURATOR, folder)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "snap/manifest.json" in names and "snap/people.parquet" in names
    assert tiny_db.scalar("SELECT kind FROM audit_log WHERE action = 'export'") == "backup"
    listing = backup.list_backups(tmp_path)
    assert listing[["name", "rows"]].to_dict("records") == [
        {"name": "snap", "rows": sum(tiny_db.counts().values()) - 2}
    ]


def test_cli_export_backup_and_restore(tiny_template, tmp_path, capsys, monkeypatch):
    path = tmp_path / "cli.duckdb"
    shutil.copy(tiny_template, path)
    db = str(path)
    assert main(["--db", db, "export", "skills", "--output", str(tmp_path / "s.xlsx")]) == 0
    assert "Exported 60 rows of skills" in capsys.readouterr().out
    assert main(["--db", db, "backup", "--output", str(tmp_path / "snap")]) == 0
    assert "Backup written to" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--db", db, "restore", str(tmp_path / "snap")]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: restore replaces every table; add --yes to confirm"
    )
    assert main(["--db", db, "restore", str(tmp_path / "snap"), "--yes"]) == 0
    assert "counts and checksums match the backup" in capsys.readouterr().out
    assert main(["--db", db, "--role", "planner", "export", "people", "--output", "x.csv"]) == 2
    assert capsys.readouterr().err.startswith("error: The Planner role may not edit data")
    forget(path)


def test_restore_keeps_secondary_indexes_and_defaults(tiny_db, tmp_path):
    tiny_db.execute("CREATE INDEX people_by_department ON people (department)")
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    restore.restore(tiny_db, CURATOR, folder)
    assert (
        tiny_db.scalar(
            "SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'people_by_department'"
        )
        == 1
    )
    tiny_db.execute("INSERT INTO people (person_id) VALUES ('N1')")
    assert tiny_db.scalar("SELECT employed FROM people WHERE person_id = 'N1'") is True


# -- hostile and damaged backups: one clear line, every table unchanged ---------------------
def _zip_of(folder, damage):
    archive = folder.parent / "snap.zip"
    archive.write_bytes(damage(backup.archive(folder)))
    return archive


DAMAGED_BACKUPS = [
    (
        "flipped",
        lambda f: hostile_files.flip_byte(f / "people.parquet"),
        r"^The backup's file of table people is damaged or not a table file \(.*decompression",
    ),
    (
        "truncated",
        lambda f: hostile_files.truncate(f / "people.parquet"),
        r"^The backup's file of table people is damaged .*No magic bytes found",
    ),
    (
        "empty",
        lambda f: (f / "people.parquet").write_bytes(b""),
        r"^The backup's file of table people is damaged .*too small to be a Parquet file",
    ),
    (
        "swapped",
        lambda f: hostile_files.swap(f, "people", "skills"),
        r"^The backup's file of table people holds another table's columns \(skill_id, ",
    ),
    (
        "symlinked",
        lambda f: hostile_files.link(f, "skills", f / "people.parquet"),
        r"^The backup's file skills\.parquet is a link to another file",
    ),
    (
        "manifest-symlinked",
        lambda f: hostile_files.link_file(f / "manifest.json"),
        r"^The backup's file manifest\.json is a link to another file",
    ),
    (
        "zip-bad-crc",
        lambda f: _zip_of(
            f, lambda data: hostile_files.zip_with_bad_crc(data, "snap/people.parquet")
        ),
        r"snap\.zip is neither a backup folder nor a readable \.zip file",
    ),
    (
        "zip-truncated",
        lambda f: _zip_of(f, lambda data: data[: len(data) // 2]),
        r"snap\.zip is neither a backup folder nor a readable \.zip file",
    ),
    (
        "orphans",
        lambda f: hostile_files.emptied(f, "people"),
        r"^The backup is inconsistent: 40 rows of memberships refer to a person_id missing "
        r"from people \(for example E\d+\); nothing was changed\.$",
    ),
    (
        "partial-manifest",
        lambda f: _drop_from_manifest(f, "audit_log"),
        r"is not a backup of this application",
    ),
]


def _drop_from_manifest(folder, table):
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["tables"][table]
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "message"),
    [case[1:] for case in DAMAGED_BACKUPS],
    ids=[case[0] for case in DAMAGED_BACKUPS],
)
def test_a_damaged_backup_is_refused_in_one_line_and_nothing_changes(
    tiny_db, tmp_path, damage, message
):
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    source = damage(folder)
    source = source if isinstance(source, Path) else folder
    before = tiny_db.table_checksums()
    with pytest.raises(ValueError) as refused:
        restore.restore(tiny_db, CURATOR, source)
    text = str(refused.value)
    assert re.search(message, text) and "\n" not in text
    assert tiny_db.table_checksums() == before


def test_restore_checks_references_before_anything_changes(tiny_db, tmp_path):
    """Every reference the import API declares is checked, members first."""
    assert ("memberships", "person_id", "people", "person_id") in restore.references()
    assert ("person_skills", "skill_id", "skills", "skill_id") in restore.references()
    assert ("interview_findings", "interview_id", "interviews", "interview_id") in (
        restore.references()
    )
    folder = backup.backup(tiny_db, CURATOR, tmp_path / "snap")
    hostile_files.emptied(folder, "skills")
    before = tiny_db.table_checksums()
    with pytest.raises(ValueError, match=r"rows of person_skills refer to a skill_id missing"):
        restore.restore(tiny_db, CURATOR, folder)
    assert tiny_db.table_checksums() == before
