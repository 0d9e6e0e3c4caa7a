"""Every change of an offer to the shared library, and who sits on its review board. Four eyes across
organisations: the platformbeheerder or a member of the review board they name decides, never a member of the
organisation that offers (`decision_problem` says why not, for the page's buttons and the rule alike)."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..authoring import Refused
from ..content.problems import Problems
from ..libraries import parse_shared, shared_slug
from ..models import Organisation, Publication, SharedOffer, ShareState, User, db, utcnow
from ..privacy import find_personal_data

class OfferRefused(Refused):
    """An offer refused for what is in the text: every reason, each naming its line and field."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


HEADER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def field_at(text: str, line: int) -> str:
    """The field a line of a card's or story's text belongs to, in the words an author sees in the file: a
    header key (`samenvatting`) or the headings above it in the body ("Stap deur: … › Situatie")."""
    lines = text.splitlines()
    header_end = 0
    if lines and lines[0].strip() == "---":
        header_end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    index = min(line, len(lines)) - 1
    if index <= header_end:
        key = next((m.group(1) for i in range(index, 0, -1) if (m := HEADER_KEY.match(lines[i]))), None)
        return f"het veld `{key}`" if key else "de kop"
    headings: list[tuple[int, str]] = []
    for i in range(index, header_end, -1):
        level = len(lines[i]) - len(lines[i].lstrip("#"))
        if level and (not headings or level < headings[0][0]):
            headings.insert(0, (level, lines[i].lstrip("#").strip()))
        if level == 1:
            break
    return "het kopje “" + " › ".join(title for _, title in headings) + "”" if headings else "de tekst"


def offer_problems(version: Publication, short_name: str) -> list[str]:
    """Why a version cannot go to the shared library, in Dutch, one sentence per problem; empty when it can.
    The privacy guard reads the text again (the guard may have grown since it was published)."""
    reasons = []
    per_line: dict[int, list[str]] = {}
    for finding in find_personal_data(version.text):
        per_line.setdefault(version.text.count("\n", 0, finding.start) + 1, []).append(finding.label)
    for line, labels in sorted(per_line.items()):
        reasons.append(f"Regel {line}, {field_at(version.text, line)}: hier staat "
                       f"{' en '.join(dict.fromkeys(labels))}. Haal dit weg in een nieuwe versie en bied die aan.")
    problems = Problems()
    if parse_shared(version.text, version.kind, shared_slug(short_name, version.slug), problems) is None:
        for problem in sorted(problems.items):
            reasons.append(f"Regel {problem.line}, {field_at(version.text, problem.line)}: {problem.message} "
                           "Andere organisaties hebben alleen de kaarten, verhalen en meldroutes van het platform.")
    return reasons


def offer(version: Publication, by: User) -> SharedOffer:
    """Offer one published version to every organisation; refused with every reason when it may not go."""
    if by.organisation_id != version.organisation_id:
        raise Refused("deze versie hoort bij een andere organisatie.")
    if version.withdrawn:
        raise Refused("deze versie is ingetrokken. Bied een versie aan die nog in je bibliotheek staat.")
    current = db.session.scalar(select(SharedOffer).where(SharedOffer.publication_id == version.id))
    if current is not None and current.state in (ShareState.OFFERED, ShareState.ACCEPTED):
        raise Refused(f"deze versie is al {current.share_state.label}.")
    organisation = db.session.get(Organisation, version.organisation_id)
    reasons = offer_problems(version, organisation.slug)
    if reasons:
        raise OfferRefused(reasons)
    if current is None:
        current = SharedOffer(publication_id=version.id, organisation_id=version.organisation_id)
        db.session.add(current)
    current.state, current.offered_by_id, current.offered_at = ShareState.OFFERED, by.id, utcnow()
    current.origin = organisation.name
    current.decided_by_id = current.decided_at = current.comment = None
    current.withdrawn_by_id = current.withdrawn_at = None
    try:
        db.session.commit()
    except IntegrityError:  # a second click offered the same version a moment earlier (one row per version)
        db.session.rollback()
        raise Refused("deze versie is al aangeboden.") from None
    return current


def outsider_problem(shared: SharedOffer, by: User) -> str | None:
    """Why this person does not judge this offer, in Dutch; None for the platformbeheerder and the board members of
    other organisations (four eyes across organisations)."""
    if not by.reviews_shared:
        return "alleen de platformbeheerder en de beoordelaars die hij noemt, beoordelen wat gedeeld wordt."
    if by.organisation_id == shared.organisation_id or by.id == shared.offered_by_id:
        return ("dit aanbod komt van je eigen organisatie. Een beoordelaar van een andere organisatie of de "
                "platformbeheerder beslist erover.")
    return None


def decision_problem(shared: SharedOffer, by: User) -> str | None:
    """Why this person may not accept or return this offer, in Dutch; None when they may."""
    return outsider_problem(shared, by) or (
        None if shared.state == ShareState.OFFERED else
        f"dit aanbod wacht niet op beoordeling: het is {shared.share_state.label}.")


def decide(shared: SharedOffer, by: User, accept: bool, comment: str = "") -> None:
    """Accept an offer into the shared library, or return it with a comment (required)."""
    db.session.refresh(shared, with_for_update=True)  # two reviewers deciding at once: one decides
    problem = decision_problem(shared, by)
    if problem:
        raise Refused(problem)
    comment = comment.strip()
    if not accept and not comment:
        raise Refused("schrijf bij het terugsturen op wat er anders moet.")
    if comment and find_personal_data(comment):
        raise Refused("in je opmerking staan persoonsgegevens. Haal ze weg en probeer het opnieuw.")
    now = utcnow()
    shared.state = ShareState.ACCEPTED if accept else ShareState.RETURNED
    shared.decided_by_id, shared.decided_at, shared.comment = by.id, now, comment or None
    if accept:
        shared.accepted_at = now
    db.session.commit()


def withdraw(shared: SharedOffer, by: User) -> None:
    """The offering organisation takes its offer back, waiting or accepted. It leaves the shared library for new plans
    and walks; plans made with it keep their version."""
    db.session.refresh(shared, with_for_update=True)
    if by.organisation_id != shared.organisation_id:
        raise Refused("dit aanbod hoort bij een andere organisatie.")
    if shared.state not in (ShareState.OFFERED, ShareState.ACCEPTED):
        raise Refused(f"dit aanbod is {shared.share_state.label}; er is niets in te trekken.")
    shared.state, shared.withdrawn_by_id, shared.withdrawn_at = ShareState.WITHDRAWN, by.id, utcnow()
    db.session.commit()


def removal_problem(shared: SharedOffer, by: User) -> str | None:
    """Why this person may not take an accepted offer out of the shared library from its review page, in Dutch;
    None when they may: whoever may decide on an offer (the organisation itself withdraws on its own page)."""
    return outsider_problem(shared, by) or (
        None if shared.state == ShareState.ACCEPTED else "je kunt alleen een geaccepteerde kaart of verhaal intrekken.")


def remove(shared: SharedOffer, by: User, reason: str) -> None:
    """Take an accepted offer out of the shared library, with a reason the organisation reads."""
    db.session.refresh(shared, with_for_update=True)  # two reviewers at once: one removes
    problem = removal_problem(shared, by)
    if problem:
        raise Refused(problem)
    reason = reason.strip()
    if not reason:
        raise Refused("schrijf op waarom je dit uit de gedeelde bibliotheek haalt.")
    if find_personal_data(reason):
        raise Refused("in je reden staan persoonsgegevens. Haal ze weg en probeer het opnieuw.")
    shared.comment = reason
    shared.state, shared.withdrawn_by_id, shared.withdrawn_at = ShareState.WITHDRAWN, by.id, utcnow()
    db.session.commit()


def reviewer_problem(user: User | None) -> str | None:
    """Why this account cannot join the review board, in Dutch; None when it can."""
    if user is None:
        return "Er is geen account met dit e-mailadres in deze organisatie."
    if user.shared_reviewer:
        return f"{user.email} is al beoordelaar."
    return None


def set_reviewer(user: User, on_board: bool) -> None:
    """Put a user of an organisation on the shared library's review board, or take them off it."""
    if user.organisation_id is None:
        raise Refused("een platformbeheerder beoordeelt al; alleen gebruikers van een organisatie worden beoordelaar.")
    user.shared_reviewer = on_board
    db.session.commit()
