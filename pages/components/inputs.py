"""Numbers typed the way people type them: "1 000 000", "2,5", "150 000 ₽". Streamlit's number
input prints and reads a decimal point only, so amounts and hours are text fields shown in the
reader's format and read back through `lib.formatting.parse_number`."""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib import formatting
from pages.components import ui
from pages.components.ui import t


def money_label(label: str) -> str:
    """A label for an amount with the currency it is in: "Бюджет, ₽"."""
    return t("common.with_unit", label=label, unit=formatting.currency_sign(ui.currency()))


def shown_number(value: Any, digits: int = 0) -> str:
    """A number as the text field starts with it ("" for a blank)."""
    return "" if formatting.is_blank(value) else formatting.number(value, ui.lang(), digits)


def number_text(
    label: str,
    value: float,
    *,
    key: str,
    digits: int = 0,
    minimum: float = 0.0,
    maximum: float | None = None,
    help: str | None = None,
    container: Any = st,
) -> float:
    """A number field outside a form: the typed number, or — when the text is not a number or
    is out of range — a sentence under the field and `value` again, so nothing changes."""
    if key not in st.session_state:
        st.session_state[key] = shown_number(value, digits)
    text = container.text_input(label, key=key, help=help)
    number = formatting.parse_number(text, ui.lang())
    if number is None or number < minimum or (maximum is not None and number > maximum):
        container.error(
            t(
                "common.not_a_number",
                text=ui.markdown_escape(text),
                low=shown_number(minimum, digits),
                high=shown_number(maximum, digits) if maximum is not None else "∞",
            )
        )
        return float(value)
    return number
