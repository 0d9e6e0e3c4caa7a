"""The live views survive the real world: a server restart mid-vote, and a network that blocks streaming."""
from __future__ import annotations

import socket
import threading

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, func, select

from browsing import CARD, FIRST, add_to_plan, cast, control, login, new_plan, phone
from servers import Server, flask, server_env
from support import PASSWORD
from support.library import BUNDLED_CONTENT

LIVE = 5_000
SILENCE_MS = 1_000


def make_session(console: Page, base: str) -> str:
    """Plan with one card, start it, go to the first step and open the vote; return the code."""
    new_plan(console, base, "Veerkracht")
    add_to_plan(console, "dilemma", CARD.slug, 30)
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    control(console, "Naar het volgende onderdeel")
    control(console, "Open de stemming")
    expect(console.locator(".console-view[data-fase='stemmen']")).to_be_visible(timeout=LIVE)
    return console.locator(".console-view .status strong").last.inner_text()


@pytest.fixture
def real_server(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'restart.sqlite3'}", BUNDLED_CONTENT)  # as the live server
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "begeleider@example.org", "--role", "procesbegeleider", "--password", PASSWORD)
    server = Server(env).start()
    yield server
    server.stop()


def test_server_restart_during_an_open_vote_loses_nothing(browser: Browser, page: Page, real_server, tmp_path):
    base = real_server.url
    login(page, base, "begeleider@example.org")
    code = make_session(page, base)
    projector = page.context.new_page()
    projector.goto(page.url.split("#")[0] + "/scherm")
    uil = phone(browser, base, code, "Uil", "wijkagent")
    mol = phone(browser, base, code, "Mol")
    cast(uil, "A", FIRST.options[0].label)
    expect(projector.locator(".vote-count")).to_contain_text("1 van 2", timeout=LIVE)

    real_server.stop()
    real_server.start()

    # Nobody reloads: the pages find the server again by themselves.
    cast(mol, "B", FIRST.options[1].label)
    expect(projector.locator(".vote-count")).to_contain_text("2 van 2", timeout=15_000)
    expect(uil.locator("[data-verbinding]")).to_contain_text("Verbonden", timeout=15_000)
    uil.reload()  # the same participant, with the vote it had
    expect(uil.get_by_text("Jij: Uil")).to_be_visible()
    expect(uil.get_by_role("button", name=f"Optie A: {FIRST.options[0].label}")).to_have_attribute("aria-pressed", "true")
    engine = create_engine(real_server.env["DATABASE_URL"])
    with engine.connect() as connection:
        from bril.models import Participant, Vote
        assert connection.scalar(select(func.count()).select_from(Vote)) == 2
        assert connection.scalar(select(func.count()).select_from(Participant)) == 2
    engine.dispose()


class StreamBlockingProxy:
    """A proxy as some government networks have one: it holds back streamed answers entirely."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while self.open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(client,), daemon=True).start()

    def handle(self, client: socket.socket) -> None:
        try:
            self.forward(client)
        except OSError:
            # The browser or the server closed its side (a page left, a test ended): nothing to pass on.
            pass

    def forward(self, client: socket.socket) -> None:
        with client, socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(65536)
                if not chunk:
                    return
                head += chunk
            request_line = head.split(b"\r\n", 1)[0]
            # One request per connection, so every request passes the check below.
            head = head.replace(b"Connection: keep-alive", b"Connection: close")
            upstream.sendall(head)
            threading.Thread(target=self.pipe, args=(client, upstream), daemon=True).start()
            blocked = b"/stroom" in request_line
            while data := upstream.recv(65536):
                if not blocked:
                    client.sendall(data)

    @staticmethod
    def pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.open = False
        self.listener.close()


def test_blocked_streaming_falls_back_to_polling(browser: Browser, page: Page, live_server):
    port = int(live_server.rsplit(":", 1)[1])
    proxy = StreamBlockingProxy(port)
    base = f"http://127.0.0.1:{proxy.port}"
    try:
        login(page, base, "begeleider@example.org")
        code = make_session(page, base)
        # A blocked stream is noticed after a second of silence here instead of live.js's 8 s.
        page.context.add_init_script(f"window.brilSilenceMs = {SILENCE_MS};")
        projector = page.context.new_page()
        projector.goto(page.url.split("#")[0] + "/scherm")
        das = phone(browser, base, code, "Das", silence_ms=SILENCE_MS)
        expect(das.locator("[data-verbinding]")).to_have_text("Verbonden", timeout=LIVE)
        expect(projector.locator("[data-verbinding]")).to_have_text("Verbonden", timeout=LIVE)
        cast(das, "A", FIRST.options[0].label)
        expect(projector.locator(".vote-count")).to_contain_text("1 van 1", timeout=LIVE)
        control(page, "Sluit en toon de uitslag")
        expect(das.locator(".bar-chart")).to_be_visible(timeout=LIVE)
        expect(projector.locator(".bar-chart figcaption").first).to_contain_text("1 stem", timeout=LIVE)
    finally:
        proxy.close()
