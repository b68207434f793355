"""Both languages are complete, and pages hold no user-visible literal text."""

import ast
import re
from pathlib import Path

import pytest

from lib import formatting, i18n

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted([ROOT / "app.py", *(ROOT / "pages").rglob("*.py")])
# Keyword arguments that carry styling, not text for people.
STYLE_ARGS = {
    "family",
    "categoryorder",
    "barmode",
    "orientation",
    "mime",
    "type",
    "icon",
    "textposition",
    "mode",
    "hoverinfo",
    "xanchor",
    "yanchor",
    "selection_mode",
}
PROSE = re.compile(r"[^\W\d_]{2,}[\s,:;!?]+[^\W\d_]{2,}|^[A-ZА-ЯЁ][a-zа-яё]{2,}")


def texts(lang: str) -> dict[str, str]:
    """One language's catalogue with each plural text's forms joined under its own key."""
    messages = dict(i18n.catalogue(lang))
    for base, forms in i18n.plural_keys(messages).items():
        messages[base] = " | ".join(messages.pop(f"{base}.{form}") for form in sorted(forms))
    return messages


def test_locales_have_the_same_keys():
    en, ru = texts("en"), texts("ru")
    assert set(en) - set(ru) == set(), "keys missing in ru.toml"
    assert set(ru) - set(en) == set(), "keys missing in en.toml"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_plural_texts_give_every_form_the_language_needs(lang):
    needed = {i18n.plural_form(n, lang) for n in (0, 1, 2, 5, 1.5)}
    missing = {
        base: sorted(needed - forms)
        for base, forms in i18n.plural_keys(i18n.catalogue(lang)).items()
        if needed - forms
    }
    assert missing == {}


def test_a_plural_text_takes_the_form_its_number_needs():
    assert [i18n.t("counts.members", "en", count=n) for n in (1, 3)] == [
        "1 member",
        "3 members",
    ]
    assert [i18n.t("counts.members", "ru", count=n) for n in (1, 3, 5, 11, 21)] == [
        "1 участник",
        "3 участника",
        "5 участников",
        "11 участников",
        "21 участник",
    ]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_empty_values(lang):
    empty = [k for k, v in i18n.catalogue(lang).items() if not str(v).strip()]
    assert empty == []


def test_placeholders_match_between_languages():
    en, ru = texts("en"), texts("ru")
    fields = re.compile(r"{(\w+)}")
    differ = [k for k in en if set(fields.findall(en[k])) != set(fields.findall(ru.get(k, "")))]
    assert differ == []


def visible_literals(path: Path) -> list[str]:
    """String constants in calls (outside docstrings) that read like prose for people."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    styled = set()
    for node in ast.walk(tree):
        pairs = []
        if isinstance(node, ast.Call):
            pairs = [(k.arg, k.value) for k in node.keywords]
        elif isinstance(node, ast.Dict):
            pairs = [
                (k.value, v)
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant)
            ]
        for name, value in pairs:
            if name in STYLE_ARGS:
                styled.update(id(part) for part in ast.walk(value))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for value in [*node.args, *(k.value for k in node.keywords)]:
            for part in ast.walk(value):
                if (
                    isinstance(part, ast.Constant)
                    and isinstance(part.value, str)
                    and id(part) not in docstrings
                    and id(part) not in styled
                    and PROSE.search(part.value)
                ):
                    found.append(f"{path.name}:{part.lineno}: {part.value!r}")
    return found


def test_pages_hold_no_user_visible_literals():
    found = [hit for path in PAGE_FILES for hit in visible_literals(path)]
    assert found == []


def test_language_follows_the_browser():
    assert i18n.language_for("ru-RU") == "ru"
    assert i18n.language_for("en_GB") == "en"
    assert i18n.language_for("de-DE") == "en"
    assert i18n.language_for(None) == "en"


def test_numbers_and_dates_follow_the_locale():
    from datetime import date

    assert formatting.number(12345.6, "en", 1) == "12,345.6"
    assert formatting.number(12345.6, "ru", 1) == "12\xa0345,6"
    assert formatting.percent(0.683, "en") == "68%"
    assert formatting.day(date(2026, 3, 5), "ru") == "5 мар. 2026\u202fг."
    assert i18n.t("overview.title", "ru") == "Обзор"
    assert i18n.t("missing.key", "ru") == "missing.key"
