"""Benchmark: generate/load per tier, core computations, page server time (cold and warm,
against an empty Streamlit page), browser time to first chart, and the app's peak memory.

    python bench/run.py                 # demo and large tiers
    python bench/run.py --tiers demo    # one tier
    python bench/run.py --no-browser    # skip the Chromium timings

Tier databases are built once and cached in bench/cache/. Prints a markdown table and writes it
to bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib import access  # noqa: E402
from lib.demo import generate  # noqa: E402
from lib.filters import Filters  # noqa: E402
from lib.store.db import Database, forget, open_database  # noqa: E402

CACHE = ROOT / "bench" / "cache"
RESULTS = ROOT / "bench" / "results"
ROLE = "curator"
# What "the page has drawn" means: its first visible chart or table; for the text and form
# pages (charter, data, settings) their first section heading or input.
FIRST_CONTENT = ", ".join(
    f"[data-testid='stMain'] {element}:visible"
    for element in (
        ".js-plotly-plot",
        "[data-testid='stDataFrame']",
        "[data-testid='stMarkdownContainer'] h2",
        "[data-testid='stFileUploader']",
        "[data-testid='stNumberInput']",
    )
)


def timed(fn: Callable, repeat: int = 1) -> float:
    """Median wall time of `fn` in seconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def tier_database(tier: str, rows: list) -> Path:
    """The cached database of a tier, built (and timed) when missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{tier}.duckdb"
    recorded = CACHE / f"{tier}.build.json"
    if not path.exists():
        db = Database(path)
        timings = generate(db, tier, as_of=date.today())
        db.close()
        recorded.write_text(json.dumps(timings))
    timings = json.loads(recorded.read_text()) if recorded.exists() else None
    size = f"{path.stat().st_size / 1e6:.0f} MB file"
    if timings:
        rows.append((tier, "generate demo data", f"{timings['generate_s']:.2f} s", "when built"))
        rows.append((tier, "bulk load into DuckDB", f"{timings['load_s']:.2f} s", size))
    else:
        rows.append((tier, "generate + load", "built earlier", size))
    return path


def core_timings(path: Path, tier: str, rows: list) -> None:
    """The computations the pages lean on, called directly (warm process, median of 3)."""
    db = open_database(path)
    filters = Filters()
    viewer = access.Viewer(ROLE)
    jobs: dict[str, Callable] = {}
    try:
        from lib.expertise import graph

        jobs["skill graph + metrics (whole club)"] = lambda: graph.build_club_graph(db, filters)
    except (ImportError, AttributeError):
        pass
    try:
        from lib.engagement import scoring

        jobs["engagement scores (whole club)"] = lambda: scoring.member_scores(db, filters)
    except (ImportError, AttributeError):
        pass
    try:
        from lib.recruitment import shortlist

        jobs["second-wave shortlist K=30"] = lambda: shortlist.shortlist_second_wave(
            db, viewer, filters, size=30
        )
    except (ImportError, AttributeError):
        pass
    try:
        from lib.board import leadership

        jobs["leadership KPIs (overview)"] = lambda: leadership.leadership_kpis(db, filters)
    except (ImportError, AttributeError):
        pass
    try:
        from lib.planning.report import plan_report

        jobs["action plan: inputs + plan"] = lambda: plan_report(db, viewer)
    except (ImportError, AttributeError):
        pass
    for name, job in jobs.items():
        try:
            rows.append((tier, name, f"{timed(job, repeat=3) * 1000:.0f} ms", "median of 3"))
        except Exception as exc:  # report, don't hide, a failing computation
            rows.append((tier, name, "failed", str(exc)[:60]))


def page_timings(path: Path, tier: str, rows: list) -> None:
    """AppTest server time per page, cold (caches cleared) and warm, against an empty page."""
    import streamlit as st
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    set_log_level("error")
    os.environ["EXPERTISE_DB"] = str(path)
    os.environ["EXPERTISE_DEMO_TIER"] = "none"
    os.chdir(ROOT)

    def empty() -> None:
        AppTest.from_string("import streamlit as st\nst.write('ok')").run(timeout=60)

    empty()
    floor = timed(empty, repeat=3)
    rows.append((tier, "empty Streamlit page (floor)", f"{floor * 1000:.0f} ms", "ratio 1.0"))
    for spec in access.PAGES:
        if not (ROOT / spec.file).exists():
            continue
        st.cache_data.clear()

        def run_page(spec: access.PageSpec = spec) -> None:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.session_state["role"] = ROLE
            at.run()
            if spec.key != "overview":
                at.switch_page(spec.file)
                at.run()
            if at.exception:
                raise RuntimeError(at.exception[0].value)

        try:
            cold = timed(run_page)
            warm = timed(run_page, repeat=3)
            rows.append(
                (
                    tier,
                    f"page {spec.key}: cold / warm server",
                    f"{cold * 1000:.0f} / {warm * 1000:.0f} ms",
                    f"warm ratio {warm / floor:.1f}× floor",
                )
            )
        except Exception as exc:
            rows.append((tier, f"page {spec.key}", "failed", str(exc)[:60]))


def browser_timings(path: Path, tier: str, rows: list) -> None:
    """Time to the first chart or table in Chromium per page, and the app's peak memory."""
    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, start_app

    chromium = chromium_path()
    if chromium is None:
        rows.append((tier, "browser timings", "skipped", "Chromium not installed"))
        return
    from playwright.sync_api import sync_playwright

    served = CACHE / f"{tier}-served.duckdb"
    shutil.copy(path, served)
    process, url = start_app(served, {"EXPERTISE_AS_OF": date.today().isoformat()})
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for spec in access.PAGES:
                if not (ROOT / spec.file).exists():
                    continue
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                started = time.perf_counter()
                try:
                    page.goto(f"{url}/{'' if spec.key == 'overview' else spec.key}")
                    page.locator(FIRST_CONTENT).first.wait_for(timeout=120_000)
                    first = time.perf_counter() - started
                    rows.append(
                        (
                            tier,
                            f"page {spec.key}: browser to first chart",
                            f"{first * 1000:.0f} ms",
                            "cold server cache",
                        )
                    )
                except Exception as exc:  # one slow page must not hide the others
                    rows.append((tier, f"page {spec.key}: browser", "failed", str(exc)[:60]))
                page.close()
            browser.close()
        rows.append(
            (tier, "app process peak memory", f"{peak_memory_mb(process.pid):.0f} MB", "VmHWM")
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
        served.unlink(missing_ok=True)


def peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def render(rows: list) -> str:
    lines = ["| tier | measure | value | note |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiers", nargs="+", default=["demo", "large"])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    rows: list = []
    for tier in args.tiers:
        path = tier_database(tier, rows)
        core_timings(path, tier, rows)
        page_timings(path, tier, rows)
        forget(path)
        if not args.no_browser:
            browser_timings(path, tier, rows)
    table = render(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
