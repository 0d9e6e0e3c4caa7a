"""A real learning record store for the xAPI tests: ralph (ralph-malph) with its file backend, in its own
virtualenv (.venv-lrs, from requirements-lrs.txt: its dependencies are not ours), on a free port, with a
basic-auth credentials file. It can be stopped and started again on the same folder, as a store that is away."""
from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter
from pathlib import Path

import requests

from servers import ROOT, free_port

VENV = ROOT / ".venv-lrs"
USERNAME, PASSWORD = "bril", "een geheim voor de leeromgeving"


def ensure_venv() -> Path:
    """The virtualenv with ralph, made when it is missing (scripts/test makes it too)."""
    uvicorn = VENV / "bin" / "uvicorn"
    if not uvicorn.exists():
        subprocess.run(["python3", "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r",
                        str(ROOT / "requirements-lrs.txt")], check=True)
    return uvicorn


class RecordStoreProcess:
    """ralph's API under uvicorn (tests/lrs_server.py), storing statements as JSON lines in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.uvicorn = ensure_venv()
        self.folder, self.port, self.process = folder, free_port(), None
        folder.mkdir(parents=True, exist_ok=True)
        self.write_credentials()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def write_credentials(self) -> None:
        """ralph's auth.json: a bcrypt hash per user (what `ralph auth` writes, without its slow start)."""
        hashed = subprocess.run(
            [str(VENV / "bin" / "python"), "-c",
             "import bcrypt, sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4)).decode())", PASSWORD],
            check=True, capture_output=True, text=True).stdout.strip()
        (self.folder / "auth.json").write_text(json.dumps([{
            "agent": {"mbox": "mailto:leeromgeving@example.org", "objectType": "Agent"},
            "scopes": ["all"], "hash": hashed, "username": USERNAME}]))

    def start(self, within: float = 30) -> RecordStoreProcess:
        env = {**os.environ, "RALPH_APP_DIR": str(self.folder), "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
               "RALPH_RUNSERVER_BACKEND": "fs",
               "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "data")}
        self.process = subprocess.Popen([str(VENV / "bin" / "python"), str(Path(__file__).parent / "lrs_server.py"),
                                         str(self.port)], env=env, cwd=self.folder,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("ralph stopte meteen: " + self.process.stderr.read().decode()[-2000:])
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("ralph kwam niet op")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        if self.process is not None:
            self.process.stderr.close()
        self.process = None

    def ids(self) -> Counter:
        """How often the store holds each statement id, read page by page through its own API."""
        found: Counter = Counter()
        url = f"http://127.0.0.1:{self.port}/xAPI/statements?limit=100"
        while url:
            answer = requests.get(url, auth=(USERNAME, PASSWORD), headers={"X-Experience-API-Version": "1.0.3"},
                                  timeout=10)
            answer.raise_for_status()
            body = answer.json()
            found.update(statement["id"] for statement in body["statements"])
            url = f"http://127.0.0.1:{self.port}{body['more']}" if body.get("more") else None
        return found
