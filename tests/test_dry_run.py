"""A dry run with real phones from the Quick start: scripts/serve.py (the server part of scripts/start) and the
join address that the projector and the QR code give phones."""
from __future__ import annotations

import importlib.util
import io
import socket
import subprocess
import sys
import urllib.request

import pytest
import segno

from servers import ROOT, flask, free_port, server_env
from support import PASSWORD
from support.sessions import start_session

SERVE = ROOT / "scripts" / "serve.py"
spec = importlib.util.spec_from_file_location("serve", SERVE)
serve = importlib.util.module_from_spec(spec)
spec.loader.exec_module(serve)


def serve_command(*arguments: str, env: dict[str, str] | None = None, timeout: float = 30):
    return subprocess.run([sys.executable, str(SERVE), *arguments], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def busy_port():
    """A port another program listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


@pytest.mark.parametrize("extra", [[], ["--lan"]], ids=["local", "lan"])
def test_a_port_in_use_stops_with_a_dutch_message_and_never_says_the_site_runs(busy_port, extra):
    env = server_env("sqlite:///:memory:", LAN_ADDRESS="192.168.1.20")
    result = serve_command("--port", str(busy_port), *extra, env=env)
    assert result.returncode == 1
    assert f"Poort {busy_port} is al in gebruik" in result.stderr
    assert f"PORT={busy_port + 1} ./scripts/start" in result.stderr
    assert "De site draait op" not in result.stdout + result.stderr


def test_the_early_check_of_scripts_start_refuses_the_busy_port_from_the_environment(busy_port):
    env = server_env("sqlite:///:memory:", PORT=str(busy_port))
    result = serve_command("--check", env=env)
    assert result.returncode == 1 and f"Poort {busy_port} is al in gebruik" in result.stderr


def test_without_arguments_the_site_stays_on_this_machine_at_port_5000():
    assert serve.plan(serve.parser().parse_args([]), {}) == ("127.0.0.1", 5000, None)
    assert serve.plan(serve.parser().parse_args(["--port", "8080"]), {"PORT": "9000"}) == ("127.0.0.1", 8080, None)
    assert serve.plan(serve.parser().parse_args([]), {"PORT": "9000"}) == ("127.0.0.1", 9000, None)


def test_lan_listens_everywhere_and_gives_phones_the_network_address():
    for arguments, environ in ((["--lan"], {"LAN_ADDRESS": "192.168.1.20"}),
                               ([], {"LAN": "1", "LAN_ADDRESS": "192.168.1.20"})):
        assert serve.plan(serve.parser().parse_args(arguments), environ) == \
            ("0.0.0.0", 5000, "http://192.168.1.20:5000")


def test_the_network_address_is_found_without_sending_and_is_never_loopback():
    address = serve.network_address()
    assert address is None or not address.startswith("127.")


def test_a_wrong_port_is_refused_in_dutch():
    with pytest.raises(serve.Refusal, match="getal van 1 tot 65535"):
        serve.plan(serve.parser().parse_args(["--port", "vijf"]), {})


def test_projector_and_qr_code_use_the_configured_public_address(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert "http://192.168.1.20:5000/meedoen" in projector and "http://localhost/meedoen" not in projector
    expected = io.BytesIO()
    segno.make(f"http://192.168.1.20:5000/meedoen/{code}", error="m").save(
        expected, kind="svg", scale=8, border=2, xmldecl=False, svgns=True,
        title=f"QR-code om mee te doen met code {code}")
    assert facilitator.get(f"/sessies/{workshop_id}/qr.svg").data == expected.getvalue()
    app.config["PUBLIC_URL"] = None
    assert "http://localhost/meedoen" in facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)


def test_logged_in_users_see_the_trial_warning_only_on_plain_http_to_the_network(facilitator, app):
    assert "Proefopstelling" not in facilitator.get("/sessies/").get_data(as_text=True)
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    assert "Proefopstelling" in facilitator.get("/sessies/").get_data(as_text=True)
    assert "Proefopstelling" not in app.test_client().get("/meedoen").get_data(as_text=True)  # phones are not told
    app.config["PUBLIC_URL"] = "https://bril.example.org"
    assert "Proefopstelling" not in facilitator.get("/sessies/").get_data(as_text=True)


@pytest.mark.slow
def test_the_site_says_it_runs_only_once_it_listens(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'proef.sqlite3'}")
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "begeleider@example.org", "--role", "procesbegeleider", "--password", PASSWORD)
    port = free_port()
    process = subprocess.Popen([sys.executable, str(SERVE), "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith(f"De site draait op http://127.0.0.1:{port}/")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as answer:
            assert answer.status == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
