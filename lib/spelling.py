"""Spelling across scripts: transliteration, keyboard-layout slips, a sound-alike key and a
light Russian stemmer, so that "питон", "зутрщт" (Python typed on the Russian layout) and
"машинным обучением" find what "Python" and "Машинное обучение" name.

The stemmer is a light suffix stripper (the longest known noun, adjective or verb ending is
cut while three letters remain); it is not a dictionary lemmatiser, which is enough to match
word forms of names and labels.
"""

from __future__ import annotations

import re

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
# fmt: off
LATIN = ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
         "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya")
# fmt: on
TO_LATIN = dict(zip(CYRILLIC, LATIN, strict=True))
QWERTY = "`qwertyuiop[]asdfghjkl;'zxcvbnm,."
JCUKEN = "ёйцукенгшщзхъфывапролджэячсмитьбю"
LAYOUT = {**dict(zip(QWERTY, JCUKEN, strict=True)), **dict(zip(JCUKEN, QWERTY, strict=True))}
# Latin spellings that sound alike, reduced to one form (applied in order).
SOUND_ALIKE = (
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"sch|shch"), "sh"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"([a-z])\1+"), r"\1"),
)
# fmt: off
RUSSIAN_ENDINGS = sorted((
    "иями", "ями", "ами", "ыми", "ими", "ого", "его", "ому", "ему", "ией", "ием", "иям", "иях",
    "ать", "ять", "ить", "еть", "ешь", "ете", "ует", "ают", "яют", "ости", "ость", "ая", "яя",
    "ое", "ее", "ые", "ие", "ый", "ий", "ой", "ую", "юю", "ым", "им", "ом", "ем", "ах", "ях",
    "ов", "ев", "ей", "ам", "ям", "ию", "ия", "ью", "ья", "ье", "их", "ых",
    "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
), key=len, reverse=True)
# fmt: on
WORD = re.compile(r"[\w&+#]+")
HAS_CYRILLIC = re.compile(r"[а-яё]")
HAS_LATIN = re.compile(r"[a-z]")


def fold(text: str) -> str:
    """Lower case, ё as е, runs of spaces as one."""
    return " ".join(str(text).casefold().replace("ё", "е").split())


def to_latin(text: str) -> str:
    """Russian letters spelled in Latin (a simple, reversible-enough scheme)."""
    return "".join(TO_LATIN.get(ch, ch) for ch in fold(text))


def sound_key(text: str) -> str:
    """A spelling-insensitive key: Latin letters, sound-alike spellings reduced to one form,
    so "питон" and "python", "джава" and "java" share a key."""
    key = to_latin(text)
    for pattern, replacement in SOUND_ALIKE:
        key = pattern.sub(replacement, key)
    return key


def swap_layout(text: str) -> str:
    """Text as it would read had it been typed on the other keyboard layout (ghbdtn ↔ привет)."""
    return "".join(LAYOUT.get(ch, ch) for ch in fold(text))


def stem(word: str) -> str:
    """A Russian word without its inflection ending (light stemmer); other words unchanged."""
    word = fold(word)
    if not HAS_CYRILLIC.search(word):
        return word
    for ending in RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def stems(text: str) -> str:
    """Every word of a text reduced to its stem, in order."""
    return " ".join(stem(w) for w in WORD.findall(fold(text)))


def readings(query: str) -> list[tuple[str, str]]:
    """Ways to read a query: as typed, and as typed on the other layout when that gives text
    of the other script only (a layout slip). Each with how it was read."""
    typed = fold(query)
    found = [(typed, "typed")]
    swapped = swap_layout(typed)
    cyrillic, latin = bool(HAS_CYRILLIC.search(typed)), bool(HAS_LATIN.search(typed))
    if swapped != typed and cyrillic != latin:
        found.append((swapped, "layout"))
    return found
