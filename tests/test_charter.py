"""The charter: every save a new version with author and time, earlier versions readable,
and markdown rendered with raw HTML neutralised."""

import pytest

from lib.access import AccessDenied, Viewer
from lib.errors import Refusal, message
from lib.insights import charter

CURATOR = Viewer("curator", email="curator@bank.example")
ADMIN = Viewer("admin", email="admin@bank.example")


def test_two_saves_make_three_versions_with_authors(tiny_db):
    seeded = charter.current_charter(tiny_db)
    assert seeded["author"] == "system"
    assert seeded["body"] == charter.default_charter("en")
    first = charter.save_charter(tiny_db, CURATOR, seeded["body"] + "\n## Merch\nHoodies.\n")
    second = charter.save_charter(tiny_db, ADMIN, "# Charter\r\n\r\nShorter.\r\n")
    versions = charter.charter_versions(tiny_db)
    assert list(versions.version) == [second, first, seeded["version"]]
    assert list(versions.author) == ["admin@bank.example", "curator@bank.example", "system"]
    assert versions.saved_at.notna().all()
    assert charter.current_charter(tiny_db)["body"] == "# Charter\n\nShorter.\n"
    older = charter.charter_version(tiny_db, first)
    assert older["author"] == "curator@bank.example"
    assert older["body"].endswith("## Merch\nHoodies.\n")
    audit = tiny_db.rows(
        "SELECT actor, detail FROM audit_log WHERE action = 'charter_save' ORDER BY entry_id"
    )
    assert audit == [
        ("curator@bank.example", f"version {first}"),
        ("admin@bank.example", f"version {second}"),
    ]


def test_diff_between_versions(tiny_db):
    seeded = charter.current_charter(tiny_db)
    version = charter.save_charter(
        tiny_db, CURATOR, seeded["body"].replace("Monthly meetup", "Weekly meetup")
    )
    diff = charter.charter_diff(seeded, charter.charter_version(tiny_db, version))
    assert f"--- v{seeded['version']}" in diff
    assert f"+++ v{version}" in diff
    assert "-- Monthly meetup and quarterly generation session." in diff
    assert "+- Weekly meetup and quarterly generation session." in diff


def test_only_curators_and_admins_save(tiny_db):
    for role in ("leadership", "planner"):
        with pytest.raises(AccessDenied):
            charter.save_charter(tiny_db, Viewer(role), "# Mine now")
    with pytest.raises(AccessDenied):
        charter.save_charter(tiny_db, None, "# Mine now")
    assert len(charter.charter_versions(tiny_db)) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "empty"), ("   \n ", "empty"), ("x" * 50_001, "longer"), (None, "empty")],
)
def test_bad_text_is_refused_with_a_clear_message(tiny_db, body, message):
    with pytest.raises(ValueError, match=message):
        charter.save_charter(tiny_db, CURATOR, body)
    assert len(charter.charter_versions(tiny_db)) == 1


def test_saving_the_same_text_again_is_refused(tiny_db):
    same = charter.current_charter(tiny_db)["body"]
    with pytest.raises(ValueError, match="not changed"):
        charter.save_charter(tiny_db, CURATOR, same)


def test_unknown_version_is_a_clear_error(tiny_db):
    with pytest.raises(ValueError, match="no version 99"):
        charter.charter_version(tiny_db, 99)


def test_a_refused_charter_says_why_in_russian(tiny_db):
    with pytest.raises(Refusal) as refused:
        charter.save_charter(tiny_db, CURATOR, "x" * 50_001)
    assert message(refused.value, "ru") == "Устав длиннее 50\xa0000 символов."
    assert str(refused.value) == "The charter is longer than 50,000 characters."


def test_first_charter_of_an_empty_database(empty_db):
    assert charter.current_charter(empty_db) is None
    assert charter.save_charter(empty_db, CURATOR, "# Ours") == 1


@pytest.mark.parametrize(
    ("body", "safe"),
    [
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("Hi <img src=x onerror=alert(1)>!", "Hi &lt;img src=x onerror=alert(1)>!"),
        ("a <b>bold</b> claim", "a &lt;b>bold&lt;/b> claim"),
        ("keep `<b>` in code", "keep `<b>` in code"),
        ("```html\n<div>x</div>\n```\n<p>", "```html\n<div>x</div>\n```\n&lt;p>"),
        ("[site](https://bank.example/a?b=1)", "[site](https://bank.example/a?b=1)"),
        ("[x](javascript:alert(1))", "[x](#))"),
        ("[x]( JaVaScRiPt:alert(1))", "[x]( #))"),
        ("[x](&#106;avascript:alert(1))", "[x](#))"),
        ("[x](data:text/html;base64,AAAA)", "[x](#)"),
        ("# Title\n\n- 3 > 2\n> quote", "# Title\n\n- 3 > 2\n> quote"),
    ],
)
def test_safe_markdown_neutralises_raw_html_and_script_links(body, safe):
    assert charter.safe_markdown(body) == safe


def test_default_charters_render_unchanged():
    for lang in ("en", "ru"):
        text = charter.default_charter(lang)
        assert charter.safe_markdown(text) == text
