import csv
import io
import shutil

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from lib.cli import main
from lib.io.export import neutralise, safe_frame, to_csv_bytes, to_excel_bytes
from lib.store.db import forget


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


HOSTILE_HEADER = '=HYPERLINK("http://evil.example","open")'


def test_headers_are_neutralised_like_values():
    frame = pd.DataFrame([["a", 1, "=1+1", "b"]], columns=[HOSTILE_HEADER, "@cmd", "name", "name"])
    header = to_csv_bytes(frame).decode("utf-8-sig").splitlines()[0]
    assert header == '"\'=HYPERLINK(""http://evil.example"",""open"")",\'@cmd,name,name'
    sheet = load_workbook(io.BytesIO(to_excel_bytes(frame, "rejects"))).active
    assert [c.value for c in sheet[1]] == ["'" + HOSTILE_HEADER, "'@cmd", "name", "name"]
    assert [c.value for c in sheet[2]] == ["a", 1, "'=1+1", "b"]
    assert {c.data_type for c in sheet[1]} == {"s"}


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_rejects_file_repeats_no_hostile_header(tiny_template, tmp_path, capsys, suffix):
    """The rejected rows go back with the uploaded file's own column names, made inert."""
    path = tmp_path / "db.duckdb"
    shutil.copy(tiny_template, path)
    upload = tmp_path / "people.csv"
    upload.write_text(
        f'person_id,name,"{HOSTILE_HEADER.replace(chr(34), chr(34) * 2)}"\nH1,Ann,x\n,Bob,y\n'
    )
    rejects = tmp_path / f"rejects.{suffix}"
    argv = ["--db", str(path), "import", "people", str(upload), "--mode", "skip-bad"]
    assert main([*argv, "--rejects", str(rejects)]) == 0
    forget(path)
    assert f"rejected rows written to {rejects}" in capsys.readouterr().out
    if suffix == "csv":
        rows = list(csv.reader(io.StringIO(rejects.read_text(encoding="utf-8-sig"))))
    else:
        rows = [list(r) for r in load_workbook(rejects).active.iter_rows(values_only=True)]
    assert rows[0] == ["row", "person_id", "name", "'" + HOSTILE_HEADER, "reason"]
    assert [str(v or "") for v in rows[1][:4]] == ["3", "", "Bob", "y"]
