"""Browser fixtures: `streamlit run` on a free port against the demo database, and the
system Chromium driven by Playwright. Skips locally without Chromium; fails in CI."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
# Generous limits sized for a 2-core machine doing other work: tests wait on conditions, and
# these are only the point at which waiting turns into a failure.
NAVIGATION_MS = 180_000
ACTION_MS = 120_000
EXPECT_MS = 90_000
expect.set_options(timeout=EXPECT_MS)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, limit_s: float = 60) -> None:
    """Poll the health endpoint until it answers, the server exits, or the limit passes."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        try:
            process.wait(timeout=0.25)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError("streamlit exited early")
    raise RuntimeError("streamlit did not become healthy")


def start_app(
    db_path: Path,
    extra_env: dict | None = None,
    extra_args: list[str] | None = None,
    port: int | None = None,
) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    env = {
        **os.environ,
        "EXPERTISE_DB": str(db_path),
        "EXPERTISE_DEMO_TIER": "none",
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
            *(extra_args or []),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(url, process)
    return process, url


def new_context(browser, width: int = 1440, height: int = 1000):
    """A browser context with the suite's generous navigation and action limits."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_navigation_timeout(NAVIGATION_MS)
    context.set_default_timeout(ACTION_MS)
    return context


@pytest.fixture(scope="session", autouse=True)
def busy_machine():
    """With E2E_BUSY=1 a second process keeps one core busy for the whole browser session,
    to prove the suite holds on a loaded machine."""
    if not os.environ.get("E2E_BUSY"):
        yield
        return
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    yield
    burner.terminate()
    burner.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url(demo_db_path, tmp_path_factory):
    """The app on its own copy of the demo database (DuckDB locks a file to one process)."""
    served = tmp_path_factory.mktemp("served") / "demo.duckdb"
    shutil.copy(demo_db_path, served)
    process, url = start_app(served)
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def page(chromium, request):
    context = new_context(chromium)
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
