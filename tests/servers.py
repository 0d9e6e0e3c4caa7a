"""Real servers for tests that need them: gunicorn with gevent workers, and a tiny HTTP client."""
from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import requests.adapters

from support import CSRF_INPUT
from support.library import FIXTURE_CONTENT, ContentSource

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url: str, content: ContentSource = FIXTURE_CONTENT, **extra: str) -> dict[str, str]:
    """The environment of a server under test: its database and its content (the fixture library unless told)."""
    folders = {f"FLASK_{name}": str(path) for name, path in content.config.items()}
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "servers-under-test",
            "FLASK_SESSION_COOKIE_SECURE": "false", "FLASK_REMEMBER_COOKIE_SECURE": "false", **folders, **extra}


def flask(env: dict[str, str], *args: str) -> str:
    """Run a `flask` command against the database in `env`."""
    result = subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def production_command(python_bin: Path, workers: int, port: int, host: str = "127.0.0.1") -> list[str]:
    """The README's production command (gunicorn with the settings in gunicorn.conf.py)."""
    return [str(python_bin / "gunicorn"), "--config", "gunicorn.conf.py", "--workers", str(workers),
            "--bind", f"{host}:{port}", "app:create_app()"]


class Server:
    """The README's production command on a port of a loopback address: gunicorn with gevent workers.

    Another loopback address (127.0.0.2, ...) stands for another machine, as behind a load balancer.
    """

    def __init__(self, env: dict[str, str], port: int | None = None, workers: int = 1,
                 python_bin: Path = VENV_BIN, host: str = "127.0.0.1") -> None:
        self.env, self.port, self.workers, self.python_bin = env, port or free_port(), workers, python_bin
        self.host = host
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, within: float = 30) -> Server:
        """Start the server; wait `within` seconds at most for its first answer."""
        # BRIL_SERVER_LOG names a file for the server's own messages (worker restarts, tracebacks).
        log = open(os.environ["BRIL_SERVER_LOG"], "ab") if os.environ.get("BRIL_SERVER_LOG") else subprocess.DEVNULL
        self.process = subprocess.Popen(production_command(self.python_bin, self.workers, self.port, self.host),
                                        cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        if log is not subprocess.DEVNULL:
            log.close()
        return self.wait_until_up(within)

    def wait_until_up(self, seconds: float = 30) -> Server:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/verhalen/", timeout=10).read()
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("de server startte niet")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Browserless:
    """A cookie-keeping HTTP client that submits forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=10).read().decode()

    def submit(self, path: str, data: dict, page: str | None = None, accept: str | None = None):
        token = CSRF_INPUT.search(self.get(page or path)).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, **data}).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        if accept:
            request.add_header("Accept", accept)
        return self.opener.open(request, timeout=10)

    def stream(self, path: str):
        """Open a Server-Sent Events stream; iterate over (event, data) pairs."""
        import json
        request = urllib.request.Request(self.base + path, headers={"Accept": "text/event-stream"})
        response = self.opener.open(request, timeout=30)

        def events():
            event, data = None, None
            for raw in response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = json.loads(line[6:])
                elif not line and event:
                    yield event, data
                    event, data = None, None
        return response, events()


class IdentityProviderProcess:
    """The test OpenID Connect provider (tests/oidc_provider.py) in its own process on a port of 127.0.0.1."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> IdentityProviderProcess:
        self.process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "oidc_provider.py"), str(self.port)],
                                        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/.well-known/openid-configuration", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("de identiteitsprovider startte niet")

    def control(self, what: str, **data) -> None:
        request = urllib.request.Request(f"{self.url}/test/{what}", data=json.dumps(data).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(request, timeout=5).read()

    def fetched(self) -> dict[str, int]:
        """How often clients fetched the discovery document and the keys."""
        return json.loads(urllib.request.urlopen(f"{self.url}/test/fetched", timeout=5).read())

    def client(self, client_id: str, client_secret: str, redirect_uri: str) -> None:
        """Register the platform at the provider, as the provider's administrator would."""
        self.control("client", client_id=client_id, client_secret=client_secret, redirect_uris=[redirect_uri])

    def person(self, username: str, sub: str, email: str, groups: object = (), misbehave: str = "",
               email_verified: bool | None = True) -> None:
        """Add or change a person who can log in at the provider; `groups` may be anything JSON (a careful
        client refuses what is no list), `email_verified=None` leaves that claim out."""
        self.control("person", username=username, sub=sub, email=email,
                     groups=list(groups) if isinstance(groups, tuple) else groups, misbehave=misbehave,
                     email_verified=email_verified)

    def discovery(self, redirect: str | None = None, **changes) -> None:
        """Change the discovery document (or make it redirect); with nothing given, back to the honest one."""
        self.control("discovery", changes=changes, redirect=redirect)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)


def record_outgoing(monkeypatch) -> list[tuple[str, str]]:
    """Record (method, url) of every HTTP request the code under test sends through requests, as it leaves."""
    sent, real = [], requests.adapters.HTTPAdapter.send

    def send(adapter, request, *args, **kwargs):
        sent.append((request.method, request.url))
        return real(adapter, request, *args, **kwargs)
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return sent
