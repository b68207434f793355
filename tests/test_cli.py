import json

from lib.cli import main


def test_init_and_stats(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    assert main(["--db", path, "init", "--tier", "tiny"]) == 0
    assert main(["--db", path, "stats", "--format", "json"]) == 0
    out = capsys.readouterr().out
    rows = {r["table"]: r["rows"] for r in json.loads(out[out.index("[") :])}
    assert rows["people"] == 400
    assert rows["memberships"] == 40


def test_init_refuses_to_overwrite_without_force(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    assert main(["--db", path, "init", "--tier", "tiny"]) == 0
    assert main(["--db", path, "init", "--tier", "tiny"]) == 2
    err = capsys.readouterr().err
    assert "already holds data" in err and "Traceback" not in err
    assert main(["--db", path, "init", "--tier", "tiny", "--force"]) == 0


def test_unknown_report_is_one_line(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    main(["--db", path, "init", "--tier", "empty"])
    assert main(["--db", path, "report", "no-such-report"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: Unknown report")
