"""Operating it: a writer and a read-only replica, two real servers as deployed (serve.py).
A nightly import handed to the writer shows on its pages at once; the replica shows it within a
bounded time and never a half-written state; a write on the replica is refused with a
sentence that names the writer."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from playwright.sync_api import expect

from lib.i18n import t
from lib.store.db import Database
from tests.e2e.test_smoke import settled
from tests.servers import Server, run_cli, wait_until

REPLICA_LIMIT_S = 120
NEWCOMERS = 5


@pytest.fixture(scope="module")
def deployed(tiny_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("deployed")
    path = folder / "club.duckdb"
    pool = Database(tiny_template, read_only=True)
    newcomers = [
        row[0]
        for row in pool.rows(
            "SELECT person_id FROM people WHERE employed AND person_id NOT IN "
            "(SELECT person_id FROM memberships) ORDER BY person_id LIMIT ?",
            [NEWCOMERS],
        )
    ]
    pool.close()
    path.write_bytes(tiny_template.read_bytes())
    snapshots = folder / "snapshots"
    writer = Server(
        "serve.py",
        {
            "EXPERTISE_DB": str(path),
            "EXPERTISE_SNAPSHOTS": str(snapshots),
            "EXPERTISE_SNAPSHOT_DELAY": "0.2",
        },
        folder / "writer.log",
    )
    wait_until((snapshots / "CURRENT.json").exists, what="the first snapshot")
    replica = Server(
        "serve.py",
        {
            "EXPERTISE_DB": str(folder / "never-opened.duckdb"),
            "EXPERTISE_REPLICA_OF": str(snapshots),
            "EXPERTISE_WRITER_URL": writer.url,
        },
        folder / "replica.log",
    )
    yield {"writer": writer, "replica": replica, "path": path, "newcomers": newcomers}
    replica.stop()
    writer.stop()


def active_members(page, url: str) -> int:
    """The Active members tile of the Overview, freshly loaded."""
    page.goto(url)
    settled(page)
    tile = page.get_by_test_id("stMetric").filter(has_text=t("metrics.active_members"))
    value = tile.get_by_test_id("stMetricValue")
    expect(value).to_be_visible()
    return int(value.inner_text().replace(",", "").replace("\u202f", "").replace("\xa0", ""))


def test_a_nightly_import_shows_in_the_writer_then_in_the_replica(deployed, page, tmp_path):
    writer, replica = deployed["writer"], deployed["replica"]
    before = active_members(page, writer.url)
    assert active_members(page, replica.url) == before
    pd.DataFrame(
        {
            "person_id": deployed["newcomers"],
            "wave": 2,
            "status": "active",
            "joined_on": "2026-10-01",
        }
    ).to_csv(tmp_path / "nightly.csv", index=False)
    job = run_cli(
        "--db", str(deployed["path"]), "import", "memberships", "nightly.csv", "--mode", "strict",
        cwd=tmp_path,
    )  # fmt: skip
    assert job.returncode == 0, job.stderr
    assert active_members(page, writer.url) == before + NEWCOMERS

    seen = []
    deadline = time.monotonic() + REPLICA_LIMIT_S
    while not seen or seen[-1] != before + NEWCOMERS:
        assert time.monotonic() < deadline, f"the replica showed only {seen}"
        seen.append(active_members(page, replica.url))
    assert set(seen) <= {before, before + NEWCOMERS}  # never part of the import


def test_a_write_on_the_replica_names_the_writer(deployed, page):
    writer, replica = deployed["writer"], deployed["replica"]
    page.goto(f"{replica.url}/settings")
    settled(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(writer.url)
    field = page.get_by_test_id("stNumberInput").locator("input").first
    field.fill(str(float(field.input_value()) + 1))
    field.press("Enter")
    page.get_by_role("button", name=t("settings.save")).first.click()
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("read-only copy of the data, so nothing was changed")
    expect(error).to_contain_text(writer.url)
