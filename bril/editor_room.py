"""The live room's screens for a draft card, before anything is published or a session is started.

The projector and the phones render a `Moment` (sessions/moment.py); here one is built from the draft's
parsed card and a chosen step and phase, with no session behind it: nobody has joined, nobody has voted,
the clock is not running. The screens then render through the live templates themselves
(live/_scherm.html, live/_deelnemer.html), so what the author sees is what the room will see.
Nothing here reads or writes a session; the moment's session id is 0 and its code a placeholder. The phone's
vote buttons come back to the preview itself (a GET with the option pressed), which shows the phone as it looks
after that vote: what an author expects from pressing one, and nothing is stored or sent anywhere.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .content import Dilemma
from .content.meldroutes import MeldrouteBook
from .content.routes import Choice
from .sessions.agenda import AgendaItem
from .sessions.moment import Moment
from .sessions.sheets import for_ending
from .sessions.situation import RoundResult, Situation
from .sessions.vocabulary import Phase, VoteState

PREVIEW_CODE = "VOORBEELD"
# The phases an author can look at, in the order the room meets them, with the vote state behind each.
PHASES = {"situatie": (Phase.SITUATION, VoteState.CLOSED), "stemmen": (Phase.VOTING, VoteState.OPEN),
          "uitslag": (Phase.RESULT, VoteState.REVEALED), "gevolg": (Phase.CONSEQUENCE, VoteState.CONSEQUENCE)}
PHASE_NAMES = {"situatie": "De situatie", "stemmen": "Stemmen", "uitslag": "De uitslag",
               "gevolg": "Wat de keuze betekent", "einde": "Het einde"}
SCREENS = {"projector": "Projectiescherm", "telefoon": "Telefoon"}


@dataclass(frozen=True)
class Preview:
    """What the author asked to see: a step (or ending) of the card, a phase, and for `gevolg` an option."""

    node: str
    phase: str
    option: int = 1
    role: str | None = None  # a phone of this role, with the puzzle piece the step gives it
    voted: int | None = None  # while voting: the option pressed on the preview's phone (0: "Ik pas")


def asked_in(node: str, phase: str, args) -> Preview:
    """What the preview's address asks for. `optie` names the option whose consequence to show, or, while voting,
    the option pressed on the phone (its vote buttons send their own `optie` back here)."""
    option, role = args.get("optie", type=int), args.get("rol")
    if phase == "stemmen":
        return Preview(node, phase, role=role, voted=option)
    return Preview(node, phase, 1 if option is None else option, role)


def valid(card: Dilemma, asked: Preview) -> bool:
    """Whether the card has that step in that phase (an ending has only its own phase)."""
    if asked.node in card.endings:
        return asked.phase == "einde"
    step = card.steps.get(asked.node)
    if step is None or asked.phase not in PHASES:
        return False
    if asked.role is not None and (asked.phase != "situatie" or asked.role not in {r for r, _ in step.pieces}):
        return False
    if asked.voted is not None and not 0 <= asked.voted <= len(step.options):
        return False
    return asked.phase != "gevolg" or 1 <= asked.option <= len(step.options)


def moment_of(card: Dilemma, asked: Preview, book: MeldrouteBook) -> Moment:
    """The room's moment at a step or ending of a draft card, as if a session stood there with nobody in it."""
    item = AgendaItem("dilemma", 45, card.slug)
    step, ending, route = card.steps.get(asked.node), card.endings.get(asked.node), ()
    if asked.phase == "einde":
        phase, vote = Phase.ENDING, VoteState.CLOSED
    else:
        phase, vote = PHASES[asked.phase]
    if phase == Phase.CONSEQUENCE:
        # The room sees an option's consequence after following it: the route holds that choice.
        option = step.options[asked.option - 1]
        route = (Choice(step, option),)
        step, ending = card.steps.get(option.target), card.endings.get(option.target)
    situation = Situation(
        workshop_id=0, version=0, agenda=(item,), item_index=0, item=item, phase=phase, vote=vote, round=1, page=0,
        sheets=for_ending(card, ending, route, book) if phase == Phase.ENDING else ((),), card=card, route=route,
        step=step, ending=ending, results={1: RoundResult(Counter(), {})} if phase == Phase.RESULT else {},
        pieces_shown=asked.role is not None, locked=True, book=book)
    prompts = step.prompts if step is not None else ()
    return Moment(situation=situation, code=PREVIEW_CODE, title=card.title,
                  prompt=prompts[0] if prompts else None, pieces=step.pieces if asked.role and step else (),
                  meldroutes=tuple(book.routes[key] for key in card.meldroutes if key in book.routes))


def choices(card: Dilemma, role_label) -> list[tuple[str, str, list[tuple[str, str, dict]]]]:
    """Every step and ending with the moments to look at: (node, title, [(phase, label, query)]); a step with
    puzzle pieces also as the phone of each role that has one."""
    found = []
    for step in card.steps.values():
        phases = [(name, PHASE_NAMES[name], {}) for name in ("situatie", "stemmen", "uitslag")]
        phases += [("situatie", f"Puzzelstukje van {role_label(role)}", {"rol": role}) for role, _ in step.pieces]
        phases += [("gevolg", f"Gevolg van optie {o.letter}", {"optie": o.number}) for o in step.options]
        found.append((step.id, step.title, phases))
    for ending in card.endings.values():
        found.append((ending.id, ending.title, [("einde", PHASE_NAMES["einde"], {})]))
    return found
