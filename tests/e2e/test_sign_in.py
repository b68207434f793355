"""Sign-in on a real server fails closed: a provider is reached by a redirect, never a 500; an
unreadable secrets file keeps the app shut instead of falling back to local mode."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from lib.i18n import t
from tests.e2e.conftest import free_port, new_context, start_app


class FakeProvider(BaseHTTPRequestHandler):
    """Just enough of an OpenID Connect provider: its discovery document."""

    def do_GET(self):
        if self.path != "/.well-known/openid-configuration":
            self.send_error(404)
            return
        base = f"http://127.0.0.1:{self.server.server_port}"
        body = json.dumps(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token",
                "jwks_uri": f"{base}/jwks",
                "userinfo_endpoint": f"{base}/userinfo",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def served(demo_db_path, tmp_path, secrets_text: str, port: int | None = None):
    database = tmp_path / "signin.duckdb"
    shutil.copy(demo_db_path, database)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(secrets_text, encoding="utf-8")
    return start_app(database, extra_args=["--secrets.files", str(secrets)], port=port)


def test_sign_in_redirects_to_the_provider(chromium, demo_db_path, tmp_path, provider):
    """Clicking "Sign in" goes through /auth/login to the provider (a 500 here once meant the
    auth extra was missing from the requirements)."""
    port = free_port()
    process, url = served(
        demo_db_path,
        tmp_path,
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-long-random-cookie-secret-for-tests"
client_id = "expertise-map"
client_secret = "not-a-real-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""",
        port,
    )
    context = new_context(chromium, 1280, 900)
    try:
        page = context.new_page()
        statuses = []
        page.on(
            "response",
            lambda r: statuses.append(r.status) if "/auth/login" in r.url else None,
        )
        page.goto(url)
        page.get_by_role("button", name=t("app.sign_in")).click(timeout=60_000)
        page.wait_for_url(f"{provider}/authorize?**", timeout=60_000)
        assert "client_id=expertise-map" in page.url
        assert statuses and all(status < 500 for status in statuses)
        expect(page.get_by_text(t("app.local_mode_banner"))).to_have_count(0)
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=30)


def test_unreadable_secrets_keep_the_app_closed(chromium, demo_db_path, tmp_path):
    process, url = served(
        demo_db_path, tmp_path, '[auth]\nclient_id = "x"\n[app\nlocal_mode = false\n'
    )
    context = new_context(chromium, 1280, 900)
    try:
        page = context.new_page()
        page.goto(url)
        expect(page.get_by_text(t("app.secrets_unreadable").split(":")[0])).to_be_visible(
            timeout=60_000
        )
        expect(page.get_by_text(t("app.local_mode_banner"))).to_have_count(0)
        expect(page.get_by_test_id("stSelectbox").filter(has_text=t("app.role"))).to_have_count(0)
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=30)
