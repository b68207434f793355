import json
import tomllib

import pytest

from lib.cli import main
from lib.store.db import open_database
from tests.conftest import ROOT


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


def test_console_script_and_dependencies_are_declared():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        project = tomllib.load(handle)["project"]
    assert project["scripts"] == {"expertise": "lib.cli:main"}

    def pins(name: str) -> list[str]:
        lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
        return [line for line in lines if line and not line.startswith(("#", "-r"))]

    assert project["dependencies"] == pins("requirements.txt")
    assert project["optional-dependencies"]["dev"] == pins("requirements-dev.txt")


def test_main_returns_the_exit_code(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    assert main(["--db", path, "init", "--tier", "empty"]) == 0
    assert "no data" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main(["--db", path, "no-such-command"])
    assert usage.value.code == 2


def test_the_member_role_acts_as_one_member_and_gets_their_renewal_only(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    assert main(["--db", path, "init", "--tier", "tiny"]) == 0
    capsys.readouterr()
    assert main(["--db", path, "--role", "member", "report", "renewal"]) == 2
    assert "add --member" in capsys.readouterr().err
    assert main(["--db", path, "--role", "member", "--member", "E000002", "report", "renewal"]) == 2
    assert "not a current club member" in capsys.readouterr().err
    email = "kirill.romanov20@bank.example"
    args = ["--db", path, "--role", "member", "--member", email, "report", "renewal"]
    assert main([*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["person_id"] for row in rows] == ["E000020"]
    assert rows[0]["readiness"] in ("on_track", "needs_attention", "review")
    member = ["--db", path, "--role", "member", "--member", "E000020"]
    assert main([*member, "report", "engagement"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: The Member role may not run the club's reports."]
    assert main([*member, "export", "people", "--output", str(tmp_path / "p.csv")]) == 2
    assert main(["--db", path, "report", "renewal", "--format", "json"]) == 0
    current = open_database(path).scalar(
        "SELECT count(*) FROM memberships WHERE status IN ('onboarding', 'active', 'paused')"
    )
    assert len(json.loads(capsys.readouterr().out)) == current
