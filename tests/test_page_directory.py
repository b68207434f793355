"""The Directory on the demo tier, for a member and for staff: every current member with public
fields only, a skill search that forgives typos and the other alphabet, public contributions,
and the page read right in both languages."""

import pytest

from lib.access import member_viewer
from lib.contributions import directory
from lib.filters import Filters
from lib.store.db import open_database
from tests.conftest import AS_OF, app_test
from tests.language_scan import problems
from tests.test_page_language import names_in

PAGE = "pages/directory.py"
ME = "E000061"
PUBLIC_COLUMNS = {"name", "department", "skills", "public_contributions"}


def members_table(at):
    return next(d.value for d in at.dataframe if "public_contributions" in d.value.columns)


def test_a_member_sees_every_current_member_with_public_fields_only(app_env):
    db = open_database(app_env)
    at = app_test("member", PAGE, as_member=ME)
    assert not at.exception, [e.value for e in at.exception]
    everyone = directory.directory(db, member_viewer(db, ME), Filters(as_of=AS_OF))
    table = members_table(at)
    assert set(table.columns) == PUBLIC_COLUMNS
    assert len(table) == len(everyone)
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Members"] == str(len(everyone))
    public = directory.public_contributions(db, member_viewer(db, ME), Filters(as_of=AS_OF))
    assert tiles["Public contributions"] == f"{len(public):,}"


@pytest.mark.parametrize("query", ["Kubernetes", "kubernets", "кубернетис"])
def test_the_search_finds_holders_of_a_skill_however_typed(app_env, query):
    db = open_database(app_env)
    at = app_test("member", PAGE, as_member=ME, directory_query=query)
    assert not at.exception
    expected = directory.directory(db, member_viewer(db, ME), Filters(as_of=AS_OF), query)
    table = members_table(at)
    assert len(table) == len(expected) > 0
    assert set(table["matched"]) == {"Kubernetes"}


def test_a_search_that_finds_nobody_says_so(app_env):
    at = app_test("leadership", PAGE, directory_query="zzzz qqqq")
    assert not at.exception
    assert any("Nobody matches" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_directory_reads_right(app_env_ru, lang):
    at = app_test("member", PAGE, lang=lang, as_member=ME)
    assert not at.exception
    assert at.title[0].value == ("Справочник клуба" if lang == "ru" else "Directory")
    assert problems(at, lang, names_in(open_database(app_env_ru))) == []
