"""What the facilitator's console offers at a moment: one primary action, the tools of the moment, and
every control with its reason.

The console follows the room: the one button that matters now is large and has a shortcut; beside it, in
the first screen of a laptop, stand the few tools this moment needs (TOOLS, the one place that decides
them); the rest are folded away, disabled with the reason when they would do nothing, so nothing is
silently ignored. Which actions are possible comes from actions.py, the same table the server checks.
"""
from __future__ import annotations

from dataclasses import dataclass

from .actions import ACTIONS, SESSION_GROUP, TABLE, TALK_GROUP, TIME_GROUP, VOTE_GROUP, Control, control
from .situation import Situation
from .vocabulary import Phase

NEXT = "→"

# What belongs to each moment beside its primary action: an action's name is its button; any other name is
# a panel the console draws (templates/live/_console.html, macro `tool`):
#   telling      how many voted or marked, live ("12 van 20 hebben aangevinkt")
#   aftellen     the countdown to give the vote that the next button opens (30, 60, 90 s or none)
#   klok         the countdown of the open vote, running
#   volgen       the options the group may follow
#   afspraak     the form to record an agreement
#   antwoorden   the answers of the question round
TOOLS: dict[Phase, tuple[str, ...]] = {
    Phase.WELCOME: ("slot",),
    Phase.STORY: ("telling",),
    Phase.SITUATION: ("aftellen", "vragenronde", "volgende-vraag"),
    Phase.VOTING: ("telling", "klok"),
    Phase.STOPPED: ("telling",),
    Phase.RESULT: ("tweede-ronde", "aftellen", "volgen"),
    Phase.SIGNALS: ("vragenronde",),
    Phase.CLOSING: ("vragenronde",),
    Phase.AGREEMENTS: ("afspraak",),
}
# While the question round holds the phones, its tools come first, whatever the phase.
ASKING_TOOLS = ("vragenronde", "volgorde", "antwoorden")


@dataclass(frozen=True)
class Tool:
    """One tool of the moment: a button (`control`), or a panel the console draws by its name."""

    name: str
    control: Control | None = None
    target: str | None = None  # the action whose form a panel's fields belong to (the countdown's vote)


def primary(now: Situation) -> Control | None:
    """The next step of the session: what a facilitator presses now (shortcut: Enter or →)."""
    phase = now.phase
    if phase == Phase.ENDED:
        return None
    if now.asking and phase == Phase.SITUATION:
        return forward(control("vragenronde", now))  # the phones show the round: close it before the vote
    if phase == Phase.SITUATION:
        return forward(control("stemming-open", now))
    if phase in (Phase.VOTING, Phase.STOPPED, Phase.MARKS):
        return forward(control("stemming-onthul", now))
    if phase == Phase.STORY:
        return forward(control("stemming-dicht", now))
    if phase == Phase.RESULT:
        if now.majority is None:
            return control("volg", now, reason="Er is geen duidelijke meerderheid: kies hieronder zelf welke optie "
                                               "de groep volgt.")
        return forward(control("volg", now, f"Volg {now.step.options[now.majority - 1].letter}",
                               optie=str(now.majority)))
    if phase == Phase.CONSEQUENCE:
        return forward(control("volgende", now, "Naar de volgende stap" if now.step is not None else
                               "Naar het einde van de kaart"))
    if now.more_sheets:
        following = now.sheets[now.page + 1]
        return forward(control("volgende", now, "Toon wat je nu kunt doen" if phase == Phase.ENDING and
                               "doen" in following else f"Verder op het scherm: deel {now.page + 2} van "
                               f"{len(now.sheets)}"))
    if now.next_scene is not None:
        return forward(control("volgende", now, f"Naar scène {now.next_scene}"))
    if now.is_last_item:
        return control("einde", now)
    return forward(control("volgende", now, "Naar het volgende onderdeel"))


def tools(now: Situation) -> tuple[Tool, ...]:
    """The tools of this moment, for the console's first screen: those of TOOLS, the question round's first."""
    if now.ended:
        return ()
    names = ASKING_TOOLS + TOOLS.get(now.phase, ()) if now.asking else TOOLS.get(now.phase, ())
    main = primary(now)
    opens = "tweede-ronde" if now.phase == Phase.RESULT else main.name if main else None
    found: list[Tool] = []
    for name in dict.fromkeys(names):  # once each, in order
        if name in ACTIONS:
            if main is None or name != main.name:
                found.append(Tool(name, control(name, now)))
        elif name == "aftellen":
            button = ACTIONS.get(opens or "")
            if opens in ("stemming-open", "tweede-ronde") and not button.why_not(now):
                found.append(Tool(name, target=opens))
        elif name != "klok" or now.countdown is not None:
            found.append(Tool(name))
    return tuple(found)


def forward(button: Control) -> Control:
    """The primary button answers → (and Enter)."""
    return Control(button.name, button.label, button.reason, NEXT, button.fields)


def controls(now: Situation) -> dict[str, list[Control]]:
    """Every other control, grouped as on the console, each with the reason when it would do nothing."""
    groups: dict[str, list[Control]] = {VOTE_GROUP: [], TALK_GROUP: [], TIME_GROUP: [], SESSION_GROUP: []}
    for action in TABLE:
        if action.group is None or action.name == ("timer-start" if now.timer.running else "timer-pauze"):
            continue  # start and pause share one place: the one that fits the clock
        groups[action.group].append(control(action.name, now))
    return groups
