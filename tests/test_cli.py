"""The command line: content check, users create, demo account, database upgrade."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app import ROOT
from bril.models import User, db
from support.library import BUNDLED_CONTENT

CONTENT = Path(__file__).parent / "content"


def test_content_check_passes_on_bundled_content(bundled_app):
    result = bundled_app.test_cli_runner().invoke(args=["content", "check"])
    stories = len(BUNDLED_CONTENT.load().stories)
    assert result.exit_code == 0 and f"Alles in orde: {stories} verhalen, " in result.output


def test_content_check_fails_with_the_full_report_as_a_real_command(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    for case in ("unknown-role", "empty-scene"):
        shutil.copy(CONTENT / "broken" / f"{case}.md", stories)
    env = {**os.environ, "FLASK_STORIES_DIR": str(stories), "FLASK_DILEMMAS_DIR": str(tmp_path / "geen"),
           "FLASK_MELDROUTE_FILE": str(CONTENT / "wie-is-hiervan.yaml"),
           "FLASK_SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run([sys.executable, "-m", "flask", "content", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "2 fouten gevonden" in result.stderr
    assert "unknown-role.md, regel 12: de rol `politie` bestaat niet" in result.stderr
    assert "empty-scene.md, regel 28: de scène `Leeg` is leeg" in result.stderr


@pytest.fixture(autouse=True)
def one_organisation(make_org):
    """An installation as `flask db upgrade` leaves it: one organisation."""
    return make_org("standaard", "Mijn organisatie")


def test_orgs_create_and_list_and_accounts_in_a_chosen_organisation(runner, app):
    result = runner.invoke(args=["orgs", "create", "Gemeente Zuidwold"])
    assert result.exit_code == 0 and "korte naam gemeente-zuidwold" in result.output
    assert "gemeente-zuidwold\tGemeente Zuidwold" in runner.invoke(args=["orgs", "list"]).output
    twice = runner.invoke(args=["orgs", "create", "gemeente zuidwold"])
    assert twice.exit_code != 0 and "Er is al een organisatie met deze naam" in twice.output
    bad = runner.invoke(args=["orgs", "create", "Noord", "--slug", "Noord Oost"])
    assert bad.exit_code != 0 and "alleen kleine letters" in bad.output
    # With two organisations an account needs --org; a platformbeheerder belongs to none.
    unsure = runner.invoke(args=["users", "create", "a@example.org", "--password", "een lang wachtwoord"])
    assert unsure.exit_code != 0 and "kies er een met --org" in unsure.output
    for email, extra in (("a@example.org", ["--org", "gemeente-zuidwold"]),
                         ("p@example.org", ["--role", "platformbeheerder"])):
        result = runner.invoke(args=["users", "create", email, "--password", "een lang wachtwoord", *extra])
        assert result.exit_code == 0, result.output
    with app.app_context():
        accounts = {u.email: (u.organisation.slug if u.organisation else None) for u in db.session.scalars(select(User))}
    assert accounts == {"a@example.org": "gemeente-zuidwold", "p@example.org": None}


def test_users_create_with_role_and_password(runner, app):
    result = runner.invoke(args=["users", "create", "Begeleider@Example.org", "--role", "procesbegeleider",
                                 "--password", "een lang wachtwoord"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role) == ("begeleider@example.org", "procesbegeleider")
        assert user.organisation.slug == "standaard"  # the only organisation there is
    again = runner.invoke(args=["users", "create", "begeleider@example.org", "--password", "een lang wachtwoord"])
    assert again.exit_code != 0 and "er is al een account" in again.output


def test_users_create_asks_for_the_password(runner, app):
    result = runner.invoke(args=["users", "create", "vraag@example.org"], input="geheim wachtwoord\ngeheim wachtwoord\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.role)) == "deelnemer"


def test_users_create_refuses_a_short_password(runner):
    result = runner.invoke(args=["users", "create", "kort@example.org", "--password", "kort"])
    assert result.exit_code != 0 and "minstens 12 tekens" in result.output


def test_demo_account_prints_a_working_login(runner, client):
    result = runner.invoke(args=["users", "demo"])
    assert result.exit_code == 0
    password = result.output.split("wachtwoord:")[1].strip()
    response = client.submit("/inloggen", {"email": "begeleider@voorbeeld.nl", "password": password})
    assert response.status_code == 302
