"""Serve the site with the production server: the last step of scripts/start.

    .venv/bin/python scripts/serve.py [--lan] [--port 8080]
    python3 scripts/serve.py --check [--lan] [--port 8080]   (only the checks: scripts/start runs them first)

Without arguments the site listens on 127.0.0.1:5000, for this machine only. `--lan` (or LAN=1) serves it
on the local network for a dry run with real phones: it listens on every address, and the join link and
the QR code use this machine's network address (found without sending anything; LAN_ADDRESS overrides it).
The port comes from --port or PORT. A port already in use stops here with a Dutch message and exit code 1;
"De site draait op ..." is printed by gunicorn.conf.py only once the server really listens.
Standard library only: it runs before the site is imported.
"""
from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 5000

TRIAL_WARNING = (
    "Let op: dit is een proefopstelling, niet voor echt gebruik. De verbinding is niet beveiligd (http, geen "
    "https)\nen de cookies ook niet. Gebruik het alleen om te oefenen met collega's, niet met echte gegevens.")


class Refusal(Exception):
    """A reason, in Dutch, why the site cannot start as asked."""


def network_address() -> str | None:
    """This machine's address on the local network, or None when it has none.

    Connecting a UDP socket sends nothing: it only asks the system which address it would send from.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback or address == "0.0.0.0" else address


def check_port(host: str, port: int) -> None:
    """Refuse a port that another program (or this site, started before) already listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise Refusal(f"Poort {port} is al in gebruik: misschien draait de site al, of een ander programma "
                              f"gebruikt deze poort.\nKies een andere poort met PORT={port + 1} ./scripts/start "
                              f"(of ./scripts/start --port {port + 1}).") from None
            raise Refusal(f"Poort {port} kan niet worden gebruikt ({error.strerror}). Kies een andere poort "
                          f"boven 1024 met PORT=8080 ./scripts/start.") from None


def port_number(text: str) -> int:
    """The port as a number from 1 to 65535."""
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise Refusal(f"De poort moet een getal van 1 tot 65535 zijn, niet '{text}'.")
    return int(text)


def parser() -> argparse.ArgumentParser:
    """The arguments of scripts/start."""
    parser = argparse.ArgumentParser(prog="scripts/start", description="Start de site.")
    parser.add_argument("--lan", action="store_true", help="op het lokale netwerk, voor een proefsessie")
    parser.add_argument("--port", help="de poort (standaard 5000, of PORT)")
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    return parser


def plan(options: argparse.Namespace, environ: dict[str, str]) -> tuple[str, int, str | None]:
    """Where to listen and which address to give phones: (host, port, public address or None)."""
    port = port_number(options.port or environ.get("PORT") or str(DEFAULT_PORT))
    if not (options.lan or environ.get("LAN", "") not in ("", "0")):
        return "127.0.0.1", port, None
    address = environ.get("LAN_ADDRESS") or network_address()
    if not address:
        raise Refusal("Deze computer heeft geen netwerkadres gevonden. Staat de wifi of de netwerkkabel aan? "
                      "Geef het adres anders zelf op, bijvoorbeeld LAN_ADDRESS=192.168.1.20 ./scripts/start --lan")
    return "0.0.0.0", port, f"http://{address}:{port}"


def main(arguments: list[str]) -> int:
    """Check, then hand over to gunicorn (this process becomes the server)."""
    options = parser().parse_args(arguments)
    try:
        host, port, public = plan(options, dict(os.environ))
        check_port(host, port)
    except Refusal as refusal:
        print(refusal, file=sys.stderr)
        return 1
    if options.check:
        return 0
    env = dict(os.environ)
    address = public or f"http://127.0.0.1:{port}"
    ready = [f"De site draait op {address}/  (stoppen: Ctrl+C)"]
    if public:
        env["FLASK_PUBLIC_URL"] = public
        # Plain HTTP: cookies marked secure would never come back from the phones (scripts/start sets this too).
        env.setdefault("FLASK_SESSION_COOKIE_SECURE", "false")
        env.setdefault("FLASK_REMEMBER_COOKIE_SECURE", "false")
        ready.append("Telefoons en laptops in hetzelfde netwerk doen mee via dit adres; de QR-code op het scherm "
                     "wijst ernaar.")
        ready.append(TRIAL_WARNING)
    env["BRIL_READY_MESSAGE"] = "\n".join(ready)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    os.chdir(ROOT)
    os.execve(gunicorn, [gunicorn, "--config", "gunicorn.conf.py", "--workers", "1", "--bind", f"{host}:{port}",
                         "app:create_app()"], env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
