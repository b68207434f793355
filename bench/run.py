"""Benchmark: generate/load per tier, core computations, every page's server time (cold, warm
and after a filter change, against an empty Streamlit page) on a quiet and on a busy machine,
the browser's time to the first chart, the first run from no database to the Overview, the
board report (HTML and PDF) and the app's peak memory.

    python bench/run.py                     # demo and large tiers
    python bench/run.py --tiers demo        # one tier
    python bench/run.py --no-browser        # skip everything that needs Chromium
    python bench/run.py --page-runs 2       # page timings twice, the better of each kept
    python bench/run.py --no-busy           # skip the busy-machine column

"Busy machine" is the same measure while a second process keeps one core busy. Tier databases
are built once and cached in bench/cache/. One failing measure is reported as failed and the
run goes on. Prints a markdown table (ready for the README) and writes it to
bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib import access  # noqa: E402
from lib.demo import generate  # noqa: E402
from lib.filters import Filters, filter_options  # noqa: E402
from lib.store.db import Database, forget, open_database  # noqa: E402

CACHE = ROOT / "bench" / "cache"
RESULTS = ROOT / "bench" / "results"
ROLE = "curator"
REPEAT = 3
BROWSER_LIMIT_MS = 180_000
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
FIRST_CHART = "[data-testid='stMain'] .js-plotly-plot:visible"


@dataclass
class Row:
    tier: str
    measure: str
    value: str
    busy: str = "—"
    note: str = ""


class Table:
    """The rows measured so far; `measure` runs one measure and records a failure as a row."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, *args: str, **kwargs: str) -> None:
        self.rows.append(Row(*args, **kwargs))

    @contextmanager
    def measure(self, tier: str, name: str) -> Iterator[None]:
        try:
            yield
        except Exception as exc:  # one failing measure never stops the run
            traceback.print_exc(file=sys.stderr)
            self.add(tier, name, "failed", note=one_line(exc))

    def markdown(self) -> str:
        lines = ["| tier | measure | value | busy machine | note |", "|---|---|---|---|---|"]
        lines += [
            f"| {r.tier} | {r.measure} | {r.value} | {r.busy} | {r.note} |" for r in self.rows
        ]
        return "\n".join(lines)


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:80].replace("|", "/")


def timed(fn: Callable, repeat: int = 1, setup: Callable | None = None) -> float:
    """Median wall time of `fn` in seconds; `setup` runs untimed before each call."""
    runs = []
    for _ in range(repeat):
        if setup:
            setup()
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


@contextmanager
def busy_core(enabled: bool = True) -> Iterator[None]:
    """A second process keeping one core busy while the block runs."""
    if not enabled:
        yield
        return
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        yield
    finally:
        burner.terminate()
        burner.wait(timeout=30)


def forget_results() -> None:
    """Drop every cached answer in this process (Streamlit's caches and the core's shared
    results), so the next call computes from the database."""
    try:
        import streamlit as st

        st.cache_data.clear()
    except ImportError:
        pass
    try:
        from lib.store import shared

        shared.clear()
    except ImportError:
        pass
    try:
        from lib.engagement import calibration

        calibration._calibrated.cache_clear()
    except (ImportError, AttributeError):
        pass


# -- tiers ---------------------------------------------------------------------------------------
def tier_database(tier: str, table: Table) -> Path:
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
        table.add(tier, "generate demo data", f"{timings['generate_s']:.2f} s", note="when built")
        table.add(tier, "bulk load into DuckDB", f"{timings['load_s']:.2f} s", note=size)
    else:
        table.add(tier, "generate + load", "built earlier", note=size)
    return path


# -- the core ------------------------------------------------------------------------------------
def core_jobs(db: Database) -> dict[str, Callable]:
    """The computations the pages lean on, as the pages call them."""
    filters = Filters()
    viewer = access.Viewer(ROLE)
    jobs: dict[str, Callable] = {}
    from lib.board import leadership
    from lib.engagement import scoring
    from lib.expertise import graph
    from lib.planning.report import plan_report
    from lib.recruitment import shortlist

    jobs["skill graph + metrics (whole club)"] = lambda: graph.build_club_graph(db, filters)
    jobs["engagement scores (whole club)"] = lambda: scoring.member_scores(db, filters)
    jobs["second-wave shortlist K=30"] = lambda: shortlist.shortlist_second_wave(
        db, viewer, filters, size=30
    )
    jobs["leadership KPIs (overview)"] = lambda: leadership.leadership_kpis(db, filters)
    jobs["action plan: inputs + plan"] = lambda: plan_report(db, viewer)
    return jobs


def core_timings(path: Path, tier: str, table: Table) -> None:
    """Each computation from the database (every cache dropped before each call), median of 3."""
    db = open_database(path)
    with table.measure(tier, "core computations"):
        jobs = core_jobs(db)
    for name, job in jobs.items():
        with table.measure(tier, name):
            seconds = timed(job, repeat=REPEAT, setup=forget_results)
            table.add(tier, name, ms(seconds), note="median of 3, nothing cached")
    with table.measure(tier, "action plan inputs"):
        plan_input_timings(db, tier, table)


def plan_input_timings(db: Database, tier: str, table: Table) -> None:
    """The action plan's inputs apart from the plan: the first read after a write (nothing
    computed for this data version), a filter change (what does not depend on the filter
    already computed), and assembling the plan from inputs (goals or budget changed)."""
    from lib.planning.plan import DEFAULT_BUDGET, DEFAULT_HOURS, assemble_plan, plan_inputs
    from lib.planning.situation import suggested_weights

    viewer = access.Viewer(ROLE)
    departments = filter_options(db)[0][:REPEAT]
    first = timed(lambda: plan_inputs(db, viewer, Filters()), REPEAT, setup=forget_results)
    table.add(tier, "action plan inputs: first for the data", ms(first), note="median of 3")
    forget_results()
    plan_inputs(db, viewer, Filters())
    changed = statistics.median(
        timed(lambda d=d: plan_inputs(db, viewer, Filters(departments=(d,)))) for d in departments
    )
    table.add(
        tier,
        "action plan inputs: filter change",
        ms(changed),
        note=f"median over {len(departments)} departments",
    )
    inputs = plan_inputs(db, viewer, Filters())
    weights = suggested_weights(inputs.situation)

    def assemble() -> None:
        assemble_plan(inputs, weights=weights, budget=DEFAULT_BUDGET, hours=DEFAULT_HOURS)

    assembled = timed(assemble, REPEAT)
    table.add(tier, "action plan: plan from inputs", ms(assembled), note="median of 3")


# -- pages on the server -------------------------------------------------------------------------
@dataclass
class PageTimes:
    floor: float
    pages: dict[str, tuple[float, float, float]]  # cold, warm, filter change
    failed: dict[str, str]


def page_server_times(path: Path) -> PageTimes:
    """AppTest server time per page: cold (every cache dropped), warm (a new session, caches
    warm, median of 3) and a filter change (a department chosen in a warm session, a different
    one each time, median of 3); against an empty page."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    set_log_level("error")
    os.environ["EXPERTISE_DB"] = str(path)
    os.environ["EXPERTISE_DEMO_TIER"] = "none"
    os.chdir(ROOT)
    departments = filter_options(open_database(path))[0]

    def empty() -> None:
        AppTest.from_string("import streamlit as st\nst.write('ok')").run(timeout=60)

    empty()
    times = PageTimes(timed(empty, repeat=REPEAT), {}, {})
    for spec in access.PAGES:
        if not (ROOT / spec.file).exists():
            continue

        def open_page(spec: access.PageSpec = spec) -> AppTest:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.session_state["role"] = ROLE
            at.run()
            if spec.key != "overview":
                at.switch_page(spec.file)
                at.run()
            if at.exception:
                raise RuntimeError(at.exception[0].value)
            return at

        def change_filter(at: AppTest, department: str) -> None:
            at.session_state["department"] = [department]
            at.run()
            if at.exception:
                raise RuntimeError(at.exception[0].value)

        try:
            cold = timed(open_page, setup=forget_results)
            warm = timed(open_page, repeat=REPEAT)
            changes = []
            for department in departments[:REPEAT]:
                at = open_page()
                changes.append(timed(lambda at=at, d=department: change_filter(at, d)))
            times.pages[spec.key] = (cold, warm, statistics.median(changes))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            times.failed[spec.key] = one_line(exc)
    return times


def best_page_times(runs: list[PageTimes]) -> PageTimes:
    """The better of several runs, measure by measure."""
    best = PageTimes(min(r.floor for r in runs), {}, {})
    for run in runs:
        best.failed.update(run.failed)
        for key, value in run.pages.items():
            known = best.pages.get(key)
            best.pages[key] = tuple(map(min, zip(known, value, strict=True))) if known else value
    for key in best.pages:
        best.failed.pop(key, None)
    return best


def page_rows(tier: str, quiet: PageTimes, busy: PageTimes | None, table: Table) -> None:
    def shown(times: PageTimes | None, key: str) -> str:
        if times is None:
            return "—"
        if key not in times.pages:
            return "failed"
        cold, warm, change = times.pages[key]
        return f"{cold * 1000:.0f} / {warm * 1000:.0f} / {change * 1000:.0f} ms"

    table.add(
        tier,
        "empty Streamlit page (floor)",
        ms(quiet.floor),
        busy=ms(busy.floor) if busy else "—",
        note="ratio 1.0",
    )
    for key in [*quiet.pages, *(k for k in quiet.failed if k not in quiet.pages)]:
        if key in quiet.pages:
            _, warm, change = quiet.pages[key]
            note = f"warm {warm / quiet.floor:.1f}×, filter change {change / quiet.floor:.1f}×"
            if busy and key in busy.pages:
                busy_change = busy.pages[key][2] / busy.floor
                note += f" (busy {busy_change:.1f}×) floor"
            else:
                note += " floor"
        else:
            note = quiet.failed[key]
        table.add(
            tier,
            f"page {key}: cold / warm / filter change",
            shown(quiet, key),
            busy=shown(busy, key),
            note=note,
        )


# -- the browser ---------------------------------------------------------------------------------
def browser_first_content(path: Path) -> tuple[dict[str, float], dict[str, str], float]:
    """Per page, the time from navigation to its first chart or table in Chromium on a fresh
    server (cold caches), and the app's peak memory afterwards."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, start_app

    served = CACHE / f"{path.stem}-served.duckdb"
    shutil.copy(path, served)
    process, url = start_app(served, {"EXPERTISE_AS_OF": date.today().isoformat()})
    found: dict[str, float] = {}
    failed: dict[str, str] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for spec in access.PAGES:
                if not (ROOT / spec.file).exists():
                    continue
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                started = time.perf_counter()
                try:
                    page.goto(f"{url}/{'' if spec.key == 'overview' else spec.key}")
                    page.locator(FIRST_CONTENT).first.wait_for(timeout=BROWSER_LIMIT_MS)
                    found[spec.key] = time.perf_counter() - started
                except Exception as exc:  # one slow page must not hide the others
                    failed[spec.key] = one_line(exc)
                page.close()
            browser.close()
        memory = peak_memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        served.unlink(missing_ok=True)
    return found, failed, memory


def browser_timings(path: Path, tier: str, table: Table, with_busy: bool) -> None:
    with table.measure(tier, "browser to first chart"):
        found, failed, memory = browser_first_content(path)
        busy_found: dict[str, float] = {}
        if with_busy:
            with busy_core():
                busy_found, _, _ = browser_first_content(path)
        for key in [*found, *failed]:
            table.add(
                tier,
                f"page {key}: browser to first chart",
                ms(found[key]) if key in found else "failed",
                busy=(ms(busy_found[key]) if key in busy_found else "failed") if with_busy else "—",
                note="fresh server" if key in found else failed[key],
            )
        table.add(tier, "app process peak memory", f"{memory:.0f} MB", note="VmHWM")


def first_run_seconds() -> float:
    """From `streamlit run app.py` with no database to the Overview's first chart drawn in
    Chromium (the demo tier is generated and loaded on the way)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, free_port, wait_until_healthy

    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {**os.environ, "EXPERTISE_DB": str(Path(folder) / "first.duckdb")}
        env.pop("EXPERTISE_DEMO_TIER", None)
        command = [sys.executable, "-m", "streamlit", "run", "app.py"]
        command += ["--server.port", str(port), "--server.headless", "true"]
        command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            started = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                url = f"http://127.0.0.1:{port}"
                wait_until_healthy(url, process, limit_s=BROWSER_LIMIT_MS / 1000)
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(url, timeout=BROWSER_LIMIT_MS)
                page.locator(FIRST_CHART).first.wait_for(timeout=BROWSER_LIMIT_MS)
                return time.perf_counter() - started
            finally:
                browser.close()
                process.terminate()
                process.wait(timeout=30)


def first_run_timing(table: Table, with_busy: bool) -> None:
    with table.measure("demo", "first run: no database to the Overview"):
        quiet = first_run_seconds()
        busy = None
        if with_busy:
            with busy_core():
                busy = first_run_seconds()
        table.add(
            "demo",
            "first run: no database to the Overview",
            f"{quiet:.1f} s",
            busy=f"{busy:.1f} s" if busy is not None else "—",
            note="streamlit run → first chart in Chromium",
        )


# -- the board report ----------------------------------------------------------------------------
def board_report_timings(path: Path, tier: str, table: Table) -> None:
    """The leadership report: its data, its HTML, and its PDF printed by Chromium (the first
    print starts the browser; warm prints reuse it)."""
    from lib.board import board_report
    from lib.board.report import build_report

    db = open_database(path)
    viewer = access.Viewer(ROLE)
    filters = Filters()
    build = timed(lambda: build_report(db, viewer, filters), REPEAT, setup=forget_results)
    table.add(tier, "board report: data", ms(build), note="median of 3, nothing cached")
    report = build_report(db, viewer, filters)
    html = timed(lambda: board_report.board_html(report), REPEAT)
    table.add(tier, "board report: HTML", ms(html), note="median of 3")
    if board_report.chromium_path() is None:
        table.add(tier, "board report: PDF", "skipped", note="Chromium not installed")
        return
    document = board_report.board_html(report)
    first = timed(lambda: board_report.html_to_pdf(document))
    table.add(tier, "board report: PDF, first print", ms(first), note="starts Chromium")
    warm = timed(lambda: board_report.html_to_pdf(document), REPEAT)
    table.add(tier, "board report: PDF, warm", ms(warm), note="median of 3, Chromium open")

    def click_pdf() -> None:
        board_report.html_to_pdf(board_report.board_html(build_report(db, viewer, filters)))

    whole = timed(click_pdf, REPEAT, setup=forget_results)
    table.add(
        tier, "board report: data + HTML + PDF, warm", ms(whole), note="median of 3, cold data"
    )


def peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine_line(runs: int) -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return (
        f"Run of {date.today().isoformat()} on the {os.cpu_count()}-core, {memory:.0f} GiB "
        f"machine (load {load:.1f} at the end); page timings are AppTest server times, the "
        f"better of {runs} run(s); busy machine = the same with one core kept busy."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiers", nargs="+", default=["demo", "large"])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-busy", action="store_true")
    parser.add_argument("--page-runs", type=int, default=1)
    args = parser.parse_args()
    has_chromium = not args.no_browser and _chromium_installed()
    table = Table()
    for tier in args.tiers:
        try:
            path = tier_database(tier, table)
        except Exception as exc:
            table.add(tier, "generate + load", "failed", note=one_line(exc))
            continue
        core_timings(path, tier, table)
        with table.measure(tier, "pages on the server"):
            quiet = best_page_times([page_server_times(path) for _ in range(args.page_runs)])
            busy = None
            if not args.no_busy:
                with busy_core():
                    busy = best_page_times([page_server_times(path) for _ in range(args.page_runs)])
            page_rows(tier, quiet, busy, table)
        if tier == "demo":
            with table.measure(tier, "board report"):
                board_report_timings(path, tier, table)
        forget(path)
        if has_chromium:
            browser_timings(path, tier, table, with_busy=not args.no_busy)
            if tier == "demo":
                first_run_timing(table, with_busy=not args.no_busy)
    text = machine_line(args.page_runs) + "\n\n" + table.markdown()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(text + "\n", encoding="utf-8")
    print(text)


def _chromium_installed() -> bool:
    from tests.e2e.conftest import chromium_path

    return chromium_path() is not None


if __name__ == "__main__":
    main()
