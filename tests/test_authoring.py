"""Writing own cards and stories: drafts saved without silent overwrite, checks as the files, four eyes, versions
that never change, withdrawing, and the library each organisation sees."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bril import authoring
from bril.authoring import Refused
from bril.libraries import library_for
from bril.models import Draft, DraftComment, Organisation, Publication, User, db

CARD = (Path(__file__).parent / "content" / "library" / "dilemmas" / "voordeur.md").read_text(encoding="utf-8")


@pytest.fixture
def people(app, make_user):
    """An author and a reviewer in the test organisation, and a beheerder of another one: their ids."""
    ids = {}
    for email, role, org in (("auteur@example.org", "procesbegeleider", "testgemeente"),
                             ("lezer@example.org", "beheerder", "testgemeente"),
                             ("ander@example.org", "beheerder", "andere-gemeente")):
        ids[email.split("@")[0]] = (make_user(email, role=role, org=org).id, org)
    return ids


def user(name: str, people) -> User:
    return db.session.get(User, people[name][0])


def org_of(name: str, people) -> int:
    return db.session.get(User, people[name][0]).organisation_id


def approved_draft(people, slug: str = "eigen-voordeur", text: str = CARD) -> Draft:
    draft = authoring.create_draft(org_of("auteur", people), "dilemma", slug, text, user("auteur", people))
    db.session.commit()
    assert authoring.submit(draft).ok
    authoring.review(draft, user("lezer", people), approve=True)
    return draft


def test_a_save_from_an_older_revision_is_refused_and_the_newer_text_stays(app, people):
    with app.app_context():
        draft = authoring.create_draft(org_of("auteur", people), "dilemma", "eigen-voordeur", CARD,
                                       user("auteur", people))
        db.session.commit()
        first = draft.revision
        assert authoring.save_text(draft, CARD + "\nTab één.\n", first, user("auteur", people)) == first + 1
        with pytest.raises(Refused, match="iemand anders heeft deze tekst intussen opgeslagen"):
            authoring.save_text(draft, CARD + "\nTab twee.\n", first, user("lezer", people))
        stored = db.session.get(Draft, draft.id)
        db.session.refresh(stored)
        assert stored.text.endswith("Tab één.\n") and stored.revision == first + 1


def test_a_draft_goes_to_review_only_when_it_passes_with_the_messages_of_the_files(app, people):
    with app.app_context():
        draft = authoring.create_draft(org_of("auteur", people), "dilemma", "kapot", CARD.replace("titel:", "titl:"),
                                       user("auteur", people))
        db.session.commit()
        checked = authoring.submit(draft)
        assert not checked.ok and draft.state == "concept"
        assert ("dilemmas/kapot.md", 2, "het veld `titel` ontbreekt of is leeg.") in [
            (p.path, p.line, p.message) for p in checked.problems]


def test_the_privacy_guard_reads_every_line_of_a_draft(app, people):
    with app.app_context():
        text = CARD.replace("Je twijfelt na een huisbezoek.", "Je twijfelt na een huisbezoek aan de Dorpsstraat 12.")
        draft = authoring.create_draft(org_of("auteur", people), "dilemma", "eigen-voordeur", text,
                                       user("auteur", people))
        checked = authoring.submit(draft)
        assert not checked.ok
        assert [(p.line, p.message[:40]) for p in checked.problems] == [(3, "hier staat een straat met huisnummer. Ee")]
        assert "Dorpsstraat" not in checked.problems[0].message


def test_four_eyes_the_author_cannot_approve_their_own_text(app, people):
    with app.app_context():
        draft = authoring.create_draft(org_of("auteur", people), "dilemma", "eigen-voordeur", CARD,
                                       user("auteur", people))
        assert authoring.submit(draft).ok and draft.state == "ter-beoordeling"
        with pytest.raises(Refused, match="je kunt je eigen tekst niet goedkeuren"):
            authoring.review(draft, user("auteur", people), approve=True)
        with pytest.raises(Refused, match="hoort bij een andere organisatie"):
            authoring.review(draft, user("ander", people), approve=True)
        with pytest.raises(Refused, match="hoort bij een andere organisatie"):
            authoring.comment(draft, "titel", "Mooi.", user("ander", people))
        with pytest.raises(Refused, match="alleen een goedgekeurde tekst"):
            authoring.publish(draft, user("auteur", people))
        authoring.review(draft, user("lezer", people), approve=False)
        assert draft.state == "teruggestuurd"
        remark = authoring.comment(draft, "stap:deur", "Maak de keuze scherper.", user("lezer", people))
        assert (remark.field, remark.revision) == ("stap:deur", draft.revision)
        with pytest.raises(Refused, match="persoonsgegevens"):
            authoring.comment(draft, "titel", "Bel haar op 06-12345678.", user("lezer", people))
        assert db.session.scalar(select(DraftComment.body)) == "Maak de keuze scherper."


def test_publishing_makes_numbered_versions_that_never_change_and_can_be_withdrawn(app, people):
    with app.app_context():
        organisation_id = org_of("auteur", people)
        draft = approved_draft(people)
        first = authoring.publish(draft, user("lezer", people))
        assert (first.number, first.text, draft.state) == (1, CARD, "gepubliceerd")
        assert library_for(organisation_id).dilemmas["eigen-voordeur"].title == "Een niet-pluisgevoel bij de voordeur"
        changed = CARD.replace("titel: Een niet-pluisgevoel bij de voordeur", "titel: De voordeur, versie twee")
        authoring.save_text(draft, changed, draft.revision, user("auteur", people))
        assert draft.state == "concept"  # a change needs a new review
        authoring.submit(draft)
        authoring.review(draft, user("lezer", people), approve=True)
        second = authoring.publish(draft, user("lezer", people))
        assert second.number == 2 and db.session.get(Publication, first.id).text == CARD
        assert library_for(organisation_id).dilemmas["eigen-voordeur"].title == "De voordeur, versie twee"
        # A plan made with version 1 keeps it.
        pinned = library_for(organisation_id, {("dilemma", "eigen-voordeur"): 1})
        assert pinned.dilemmas["eigen-voordeur"].title == "Een niet-pluisgevoel bij de voordeur"
        authoring.withdraw(second)
        assert library_for(organisation_id).dilemmas["eigen-voordeur"].title == "Een niet-pluisgevoel bij de voordeur"
        authoring.withdraw(db.session.get(Publication, first.id))
        assert "eigen-voordeur" not in library_for(organisation_id).dilemmas
        assert library_for(organisation_id, {("dilemma", "eigen-voordeur"): 2}).dilemmas[
            "eigen-voordeur"].title == "De voordeur, versie twee"


def test_another_organisation_never_sees_it(app, people):
    with app.app_context():
        authoring.publish(approved_draft(people), user("lezer", people))
        other = org_of("ander", people)
        assert "eigen-voordeur" not in library_for(other).dilemmas
        assert "eigen-voordeur" not in library_for(None).dilemmas
        # Not even through a pin: a pin only picks among the organisation's own versions.
        assert "eigen-voordeur" not in library_for(other, {("dilemma", "eigen-voordeur"): 1}).dilemmas
        # Its own name space: the other organisation may use the same name for its own card.
        assert authoring.name_problem(other, "dilemma", "eigen-voordeur") is None


def test_names_of_bundled_cards_and_own_drafts_are_refused(app, people):
    with app.app_context():
        organisation_id = org_of("auteur", people)
        with pytest.raises(Refused, match="de naam `bankpas` hoort al bij een dilemmakaart van het platform"):
            authoring.create_draft(organisation_id, "dilemma", "bankpas", CARD, None)
        with pytest.raises(Refused, match="de naam `ruben` hoort al bij een verhaal van het platform"):
            authoring.create_draft(organisation_id, "verhaal", "ruben", "", None)
        authoring.create_draft(organisation_id, "dilemma", "eigen-voordeur", CARD, None)
        with pytest.raises(Refused, match="je organisatie heeft al een dilemmakaart met de naam `eigen-voordeur`"):
            authoring.create_draft(organisation_id, "dilemma", "eigen-voordeur", CARD, None)


def test_a_request_never_parses_content(app, people, monkeypatch):
    with app.app_context():
        organisation_id = org_of("auteur", people)
        authoring.publish(approved_draft(people), user("lezer", people))
        first = library_for(organisation_id)
        monkeypatch.setattr("bril.libraries.parse_text", lambda *a, **k: pytest.fail("parsed again"))
        assert library_for(organisation_id) is first
        assert db.session.get(Organisation, organisation_id).content_version == 1
