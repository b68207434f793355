"""The schema's CHECK constraints and the code's vocabularies are the same lists."""

import re

import duckdb
import pytest

from lib.vocabulary import CONSTRAINED_COLUMNS, MembershipStatus, values


def checked_words(db, table: str, column: str) -> set[str]:
    expressions = db.rows(
        "SELECT expression FROM duckdb_constraints() "
        "WHERE table_name = ? AND constraint_type = 'CHECK'",
        [table],
    )
    for (expression,) in expressions:
        if re.search(rf"\b{column}\b", expression):
            return set(re.findall(r"'([a-z_]+)'", expression))
    return set()


@pytest.mark.parametrize("table, column", sorted(CONSTRAINED_COLUMNS))
def test_schema_checks_match_the_vocabulary(empty_db, table, column):
    assert checked_words(empty_db, table, column) == set(values(CONSTRAINED_COLUMNS[table, column]))


def test_the_database_refuses_a_word_the_code_would_never_write(empty_db):
    empty_db.execute("INSERT INTO people (person_id) VALUES ('P1')")
    with pytest.raises(duckdb.ConstraintException):
        empty_db.execute("INSERT INTO memberships (person_id, status) VALUES ('P1', 'retired')")
    empty_db.execute(
        "INSERT INTO memberships (person_id, status) VALUES ('P1', ?)", [MembershipStatus.ACTIVE]
    )
    assert empty_db.scalar("SELECT status FROM memberships") == "active"
