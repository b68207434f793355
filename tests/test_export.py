import io

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from lib.io.export import neutralise, safe_frame, to_csv_bytes, to_excel_bytes


def test_formulas_are_neutralised():
    assert neutralise("=SUM(A1:A9)") == "'=SUM(A1:A9)"
    assert neutralise("+7 999") == "'+7 999"
    assert neutralise("@cmd") == "'@cmd"
    assert neutralise("Anna") == "Anna"
    assert neutralise(42) == 42


def test_list_cells_flatten_whether_lists_or_arrays():
    frame = pd.DataFrame({"skills": [["SK1", "SK2"], np.array(["SK3"]), None]})
    flat = safe_frame(frame)["skills"].tolist()
    assert flat[:2] == ["SK1; SK2", "SK3"] and pd.isna(flat[2])


def test_csv_and_excel_carry_the_same_safe_text():
    frame = pd.DataFrame({"name": ['=HYPERLINK("http://x")', "Ирина"], "n": [1, 2]})
    csv_text = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "Ирина" in csv_text
    sheet = load_workbook(io.BytesIO(to_excel_bytes(frame, "people"))).active
    assert sheet["A2"].value.startswith("'=") and sheet["A3"].value == "Ирина"
    assert sheet["A2"].data_type == "s"
