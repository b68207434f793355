import duckdb
import pytest

from lib.errors import message
from lib.store.db import TABLES, Database, DatabaseError, latest_version, migrations, resolve_path


def test_fresh_database_has_every_table(empty_db):
    assert empty_db.schema_version() == latest_version()
    assert set(TABLES) <= set(empty_db.tables())
    for table in TABLES:
        assert empty_db.count(table) == 0


def test_old_database_is_migrated_on_open(tmp_path):
    path = tmp_path / "old.duckdb"
    first_version, first_file = migrations()[0]
    conn = duckdb.connect(str(path))
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    conn.execute(first_file.read_text())
    conn.execute(
        "INSERT INTO schema_version (version, name) VALUES (?, ?)", [first_version, first_file.name]
    )
    conn.execute("INSERT INTO people (person_id, name) VALUES ('E1', 'Anna')")
    conn.close()
    db = Database(path)
    assert db.schema_version() == latest_version()
    assert db.count("role_map") == 0
    assert db.scalar("SELECT name FROM people WHERE person_id = 'E1'") == "Anna"
    assert Database(path).migrate() == []  # idempotent


def test_transaction_rolls_back_on_error(empty_db):
    with pytest.raises(RuntimeError), empty_db.transaction() as cur:
        cur.execute("INSERT INTO people (person_id) VALUES ('E1')")
        raise RuntimeError("boom")
    assert empty_db.count("people") == 0


def test_parameters_are_never_interpolated(empty_db):
    hostile = "x'); DROP TABLE people; --"
    empty_db.execute("INSERT INTO people (person_id, name) VALUES (?, ?)", ["E1", hostile])
    assert empty_db.scalar("SELECT name FROM people") == hostile
    with pytest.raises(ValueError):
        empty_db.count("people; DROP TABLE skills")


def test_path_comes_from_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPERTISE_DB", str(tmp_path / "env.duckdb"))
    assert resolve_path() == tmp_path / "env.duckdb"
    assert resolve_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"
    monkeypatch.delenv("EXPERTISE_DB")
    assert resolve_path().name == "expertise.duckdb"


def test_damaged_file_gives_a_clear_message(tmp_path):
    path = tmp_path / "broken.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match=r"damaged|cannot be opened") as caught:
        Database(path)
    assert message(caught.value, "ru").startswith(("База данных broken", "Базу данных broken"))


def test_read_only_database_refuses_writes_in_the_readers_language(tmp_path):
    path = tmp_path / "ro.duckdb"
    Database(path).close()
    reader = Database(path, read_only=True)
    with pytest.raises(DatabaseError) as caught, reader.transaction():
        pass
    reader.close()
    assert str(caught.value) == "The database is open read-only."
    assert message(caught.value, "ru") == "База данных открыта только для чтения."


def test_checksums_change_with_content(empty_db):
    before = empty_db.table_checksums()
    empty_db.execute("INSERT INTO skills (skill_id, name) VALUES ('S1', 'Python')")
    after = empty_db.table_checksums()
    assert before["skills"] != after["skills"]
    assert before["people"] == after["people"]


def test_a_skipped_lower_migration_still_runs(tmp_path):
    """A file that recorded every migration but one before the newest (one merged later with a
    lower number) gets it."""
    path = tmp_path / "gap.duckdb"
    all_migrations = migrations()
    conn = duckdb.connect(str(path))
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    keep = [m for m in all_migrations if m != all_migrations[-2]]
    for version, file in keep:
        conn.execute(file.read_text())
        conn.execute(
            "INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, file.name]
        )
    conn.close()
    db = Database(path)
    recorded = [r[0] for r in db.rows("SELECT version FROM schema_version ORDER BY 1")]
    assert recorded == [v for v, _ in all_migrations]
