"""Live delivery across processes: several workers on PostgreSQL stay in step within a second."""
from __future__ import annotations

import os
import re
import time

import pytest

from servers import Browserless, Server, flask, server_env
from support import PASSWORD, reset_postgresql
from support.library import CARD

pytestmark = [pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL"),
              pytest.mark.slow]  # two gunicorn servers


def start_session(client: Browserless) -> tuple[int, str]:
    """Log in, make a plan with one dilemma card, start it and go to the card."""
    client.submit("/inloggen", {"email": "begeleider@example.org", "password": PASSWORD})
    plan_url = client.submit("/sessies/plannen/", {"title": "Twee werkers"}).url
    plan_path = plan_url.split(client.base)[1]
    client.submit(plan_path, {"kind": "dilemma", "ref": f"dilemma:{CARD}", "minutes": "30"})
    console_path = client.submit(f"{plan_path}/start", {}, page=plan_path).url.split(client.base)[1]
    workshop_id = int(console_path.rsplit("/", 1)[1])
    client.submit(f"/sessies/{workshop_id}/actie/volgende", {}, page=console_path)
    client.submit(f"/sessies/{workshop_id}/actie/stemming-open", {}, page=console_path)
    code = re.search(r"code <strong>([A-Z0-9]{6})</strong>", client.get(console_path)).group(1)
    return workshop_id, code


def test_a_vote_on_one_worker_reaches_a_projector_on_another_within_a_second():
    url = os.environ["TEST_DATABASE_URL"]
    reset_postgresql(url)
    env = server_env(url)
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "begeleider@example.org", "--role", "procesbegeleider", "--password", PASSWORD)
    first, second = Server(env).start(), Server(env).start()
    try:
        facilitator = Browserless(first.url)
        _, code = start_session(facilitator)
        participant = Browserless(first.url)
        participant.submit(f"/meedoen/{code}", {"nickname": "Ree"})

        projector = Browserless(second.url)
        projector.submit("/inloggen", {"email": "begeleider@example.org", "password": PASSWORD})
        response, events = projector.stream(f"/live/{code}/stroom?weergave=scherm")
        event, data = next(events)
        assert event == "stand" and data["stemmen"] == 0

        acknowledged = participant.submit(f"/live/{code}/stem", {"optie": "1"}, page=f"/meedoen/{code}",
                                          accept="application/json")
        sent = time.monotonic()
        assert b'"ok":true' in acknowledged.read()
        for event, data in events:
            if data.get("stemmen") == 1:
                break
        latency = time.monotonic() - sent
        response.close()
        assert latency < 1.0, f"{latency:.3f} s"
    finally:
        first.stop()
        second.stop()
