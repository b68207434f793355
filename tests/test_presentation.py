"""Downloads as shown: human headers, values rounded and localised, codes named, blanks
empty, the machine field names as a second header row when asked for."""

import io

import pandas as pd

from lib.formatting import Format
from lib.io.presentation import TableView, csv_bytes, excel_bytes

FRAME = pd.DataFrame(
    {
        "name": ["Anna", "=HYPERLINK(1)"],
        "points": [252.87680729363873, None],
        "status": ["active", "paused"],
        "cost": [1_000_000.0, 2500.6],
    }
)
VIEW = TableView(
    headers={"name": "Name", "points": "Points", "status": "Status", "cost": "Cost"},
    formats={"points": Format.DECIMAL1, "cost": Format.MONEY},
    codes={"status": {"active": "Активен", "paused": "На паузе"}.get},
)


def test_csv_reads_as_the_screen_in_russian():
    text = csv_bytes(FRAME, VIEW, "ru").decode("utf-8-sig").splitlines()
    assert text[0] == "Name;Points;Status;Cost"
    assert text[1] == "Anna;252,9;Активен;1\u00a0000\u00a0000\u00a0₽"
    assert text[2] == "'=HYPERLINK(1);;На паузе;2\u00a0501\u00a0₽"  # blank stays empty, no "None"


def test_field_names_ride_as_a_second_header_row():
    text = csv_bytes(FRAME, VIEW, "en", field_names=True).decode("utf-8-sig").splitlines()
    assert text[:2] == ["Name,Points,Status,Cost", "name,points,status,cost"]


def test_excel_keeps_numbers_numeric_but_rounded():
    book = pd.read_excel(io.BytesIO(excel_bytes(FRAME, VIEW, "sheet")))
    assert list(book.columns) == ["Name", "Points", "Status", "Cost"]
    assert book.loc[0, "Points"] == 252.9
    assert book.loc[1, "Cost"] == 2501
    assert book.loc[0, "Status"] == "Активен"
