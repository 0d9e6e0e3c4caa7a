"""The README's production command: it starts from a clean install, stops within seconds, reloads without loss."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
from pathlib import Path

import pytest

from servers import ROOT, Browserless, Server, flask, server_env
from support import PASSWORD
from support.library import CARD

# Each test starts gunicorn; the first builds a virtualenv and installs requirements.txt with pip.
pytestmark = pytest.mark.slow


def session_with_open_vote(base: str) -> tuple[Browserless, str]:
    """Log in, start a session on one card and open the vote; return the facilitator and the code."""
    facilitator = Browserless(base)
    facilitator.submit("/inloggen", {"email": "begeleider@example.org", "password": PASSWORD})
    plan = facilitator.submit("/sessies/plannen/", {"title": "Productie"}).url.split(base)[1]
    facilitator.submit(plan, {"kind": "dilemma", "ref": f"dilemma:{CARD}", "minutes": "30"})
    console = facilitator.submit(f"{plan}/start", {}, page=plan).url.split(base)[1]
    facilitator.submit(f"{console}/actie/volgende", {}, page=console)
    facilitator.submit(f"{console}/actie/stemming-open", {}, page=console)
    code = facilitator.get(console).split("code <strong>")[1][:6]
    return facilitator, code


def prepared(tmp_path: Path) -> dict[str, str]:
    env = server_env(f"sqlite:///{tmp_path / 'productie.sqlite3'}")
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "begeleider@example.org", "--role", "procesbegeleider", "--password", PASSWORD)
    return env


def test_production_command_serves_from_a_venv_made_from_requirements_txt_alone(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r",
                              str(ROOT / "requirements.txt")], capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-2000:]
    env = prepared(tmp_path)
    server = Server(env, python_bin=venv / "bin").start()
    try:
        facilitator, code = session_with_open_vote(server.url)
        phone = Browserless(server.url)
        phone.submit(f"/meedoen/{code}", {"nickname": "Merel"})
        response, events = phone.stream(f"/live/{code}/stroom?weergave=deelnemer")
        event, data = next(events)
        assert event == "stand" and 'data-stemming="open"' in data["html"]
        answer = phone.submit(f"/live/{code}/stem", {"optie": "2"}, page=f"/meedoen/{code}", accept="application/json")
        assert b'"ok":true' in answer.read()
        response.close()
    finally:
        server.stop()


def test_stopping_with_open_streams_takes_seconds_not_the_graceful_timeout(tmp_path):
    server = Server(prepared(tmp_path)).start()
    _, code = session_with_open_vote(server.url)
    streams = []
    for number in range(20):
        phone = Browserless(server.url)
        phone.submit(f"/meedoen/{code}", {"nickname": f"Deelnemer {number}"})
        response, events = phone.stream(f"/live/{code}/stroom?weergave=deelnemer")
        next(events)
        streams.append(response)
    started = time.monotonic()
    os.kill(server.process.pid, signal.SIGTERM)  # the master only, as a service manager does
    server.process.wait(timeout=30)
    stopped = time.monotonic() - started
    for response in streams:
        response.close()
    assert stopped < 4.0, f"stoppen duurde {stopped:.1f} s"


def test_stopping_with_idle_keep_alive_connections_does_not_wait_for_them(tmp_path):
    """Browsers keep a connection open between requests; gunicorn would wait the graceful timeout for it."""
    import http.client
    server = Server(prepared(tmp_path)).start()
    idle = []
    for _ in range(20):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", "/verhalen/")  # HTTP/1.1: the connection stays open after the answer
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200 and answer.getheader("Connection", "").lower() != "close"
        idle.append(connection)
    started = time.monotonic()
    os.kill(server.process.pid, signal.SIGTERM)
    server.process.wait(timeout=30)
    stopped = time.monotonic() - started
    for connection in idle:
        connection.close()
    assert stopped < 4.0, f"stoppen duurde {stopped:.1f} s"  # the graceful timeout is 5 s


def test_reload_with_sighup_fails_no_request_and_loses_no_vote(tmp_path):
    server = Server(prepared(tmp_path)).start()
    try:
        _, code = session_with_open_vote(server.url)
        phones = []
        for number in range(10):
            phone = Browserless(server.url)
            phone.submit(f"/meedoen/{code}", {"nickname": f"Deelnemer {number}"})
            phones.append(phone)
        failures, acknowledged, stop = [], [], threading.Event()

        def keep_voting(phone: Browserless, number: int) -> None:
            option = 1
            while not stop.is_set():
                option = option % 3 + 1
                try:
                    answer = phone.submit(f"/live/{code}/stem", {"optie": str(option)}, page=f"/meedoen/{code}",
                                          accept="application/json")
                    if b'"ok":true' in answer.read():
                        acknowledged.append((number, option, time.monotonic()))
                except (OSError, urllib.error.URLError) as error:
                    failures.append(repr(error))
                time.sleep(0.05)

        threads = [threading.Thread(target=keep_voting, args=(phone, n)) for n, phone in enumerate(phones)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        reloaded = time.monotonic()
        os.kill(server.process.pid, signal.SIGHUP)
        # Vote on until every phone had votes acknowledged well after the reload (new workers), however
        # busy the machine is: the test is about losing nothing, not about speed.
        deadline = reloaded + 60
        while time.monotonic() < deadline and len({n for n, _, at in acknowledged if at > reloaded + 3}) < 10:
            time.sleep(0.2)
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        assert failures == []
        assert {n for n, _, at in acknowledged if at < reloaded}, "er werd voor het herladen niet gestemd"
        assert len({n for n, _, at in acknowledged if at > reloaded + 3}) == 10
        last = {}
        for number, option, _ in acknowledged:
            last[number] = option
    finally:
        server.stop()
    from sqlalchemy import create_engine, text
    engine = create_engine(server.env["DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT p.nickname, v.option FROM vote v JOIN participant p "
                                       "ON p.id = v.participant_id")).all()
    engine.dispose()
    assert {int(name.split()[-1]): option for name, option in rows} == last
