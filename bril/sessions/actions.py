"""The console's actions: one table says, per situation, which the console offers and the server accepts.

Each action has its label, its place on the console and one check: the reason (in Dutch) why it would
do nothing now, or None. The console disables a button with that reason; the server refuses the same
action with the same reason and changes nothing (`POST /sessies/<id>/actie/<name>`, see
docs/live-protocol.md §7). The check runs on the situation the change starts from, under the session's
row lock, so two facilitator screens cannot slip an action past it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..models import Workshop
from . import changes
from .changes import Refusal
from .situation import Situation
from .vocabulary import Phase, VoteState

VOTE_GROUP, TALK_GROUP, TIME_GROUP, SESSION_GROUP = "Stemming", "Gesprek", "Tijd", "Sessie"
Rule = Callable[[Workshop, Situation, Mapping[str, str]], Refusal | None]

NOT_AT_STEP = "Dit kan alleen bij een stap van een dilemmakaart."
ENDED = "De sessie is afgelopen."
NO_TIME = "Dit onderdeel heeft geen geplande tijd."
PHONES_ASKING = "De vragenronde is open: de telefoons tonen nu de vragen. Sluit eerst de vragenronde (V)."
PHONES_VOTING = "De stemming is open: sluit eerst de stemming, dan kan de vragenronde beginnen."


@dataclass(frozen=True)
class Action:
    """One control of the console and the rule behind it."""

    name: str  # as posted: /sessies/<id>/actie/<name>
    group: str | None  # where "Alle knoppen" lists it; None: only as the big button of the moment
    label: Callable[[Situation], str]
    why_not: Callable[[Situation], str | None]  # None: allowed now
    rule: Rule
    shortcut: str | None = None


@dataclass(frozen=True)
class Control:
    """A button of the console: the action it posts, its label, and why it is off (None: it is on)."""

    name: str
    label: str
    reason: str | None = None
    shortcut: str | None = None
    fields: dict[str, str] = field(default_factory=dict)  # extra form fields, e.g. the option to follow

    @property
    def enabled(self) -> bool:
        return self.reason is None


def unless_ended(check: Callable[[Situation], str | None]) -> Callable[[Situation], str | None]:
    """Nothing happens in a session that has ended; otherwise the action's own check."""
    return lambda now: ENDED if now.ended else check(now)


def in_phases(phases: set[Phase], reason: str) -> Callable[[Situation], str | None]:
    return lambda now: None if now.phase in phases else (reason if now.card or now.item.is_story else NOT_AT_STEP)


def open_vote_refused(now: Situation) -> str | None:
    if not now.at_step:
        return NOT_AT_STEP
    if now.phase != Phase.SITUATION:
        return ("De stemming is al geweest: de uitslag staat. Kies 'Stem nog een keer' voor een tweede ronde."
                if now.phase == Phase.RESULT else "De stemming is al open of gesloten.")
    return PHONES_ASKING if now.asking else None


def second_round_refused(now: Situation) -> str | None:
    if now.phase == Phase.RESULT and now.round == 2:
        return "Deze stap had al een tweede ronde."
    if now.phase != Phase.RESULT:
        return "Dit kan na de uitslag van de eerste ronde." if now.at_step else NOT_AT_STEP
    return PHONES_ASKING if now.asking else None


def question_round_refused(now: Situation) -> str | None:
    return PHONES_VOTING if not now.asking and now.phase == Phase.VOTING else None


def follow_rule(workshop: Workshop, now: Situation, form: Mapping[str, str]) -> Refusal | None:
    option = form.get("optie", "")
    return changes.follow(workshop, now, int(option) if option.isdigit() and option != "0" else None)


COUNTDOWNS = (30, 60, 90)  # the seconds a facilitator may give a vote; none: it stays open until closed


def countdown_rule(open_: Callable[[Workshop, Situation, int | None], None]) -> Rule:
    """Open a vote with the countdown the form chose (`seconden`: 30, 60, 90, or empty for none)."""
    def rule(workshop: Workshop, now: Situation, form: Mapping[str, str]) -> Refusal | None:
        seconds = form.get("seconden", "")
        if seconds and not (seconds.isdigit() and int(seconds) in COUNTDOWNS):
            return Refusal("Kies 30, 60 of 90 seconden om af te tellen, of geen aftellen.")
        open_(workshop, now, int(seconds) if seconds else None)
        return None
    return rule


def forward_rule(workshop: Workshop, now: Situation, form: Mapping[str, str]) -> Refusal | None:
    return changes.go(workshop, now, forward=True, confirmed=form.get("bevestig") == "ja")


def plain(rule: Callable[[Workshop, Situation], Refusal | None]) -> Rule:
    """A rule that needs nothing from the form."""
    return lambda workshop, now, form: rule(workshop, now)


def always(now: Situation) -> None:
    return None


TABLE: tuple[Action, ...] = (
    # Stemming ------------------------------------------------------------------------------------------
    Action("stemming-open", VOTE_GROUP, lambda now: "Open de stemming", unless_ended(open_vote_refused),
           countdown_rule(changes.open_vote)),
    Action("stemming-dicht", VOTE_GROUP,
           lambda now: "Toon wat de groep zag" if now.item.is_story else "Sluit de stemming",
           unless_ended(in_phases({Phase.VOTING, Phase.STORY}, "Er is geen open stemming.")),
           plain(changes.set_vote(VoteState.STOPPED))),
    Action("stemming-onthul", VOTE_GROUP,
           lambda now: "Toon de signalen" if now.item.is_story else
           "Sluit en toon de uitslag" if now.phase == Phase.VOTING else "Toon de uitslag",
           unless_ended(in_phases({Phase.VOTING, Phase.STOPPED, Phase.MARKS}, "Er is geen stemming om te tonen.")),
           plain(changes.set_vote(VoteState.REVEALED))),
    Action("tweede-ronde", VOTE_GROUP, lambda now: "Stem nog een keer (ronde 2)", unless_ended(second_round_refused),
           countdown_rule(changes.second_round)),
    Action("volg", None, lambda now: "Volg de meerderheid",
           unless_ended(in_phases({Phase.RESULT}, "De groep kiest een optie na de uitslag van de stemming.")),
           follow_rule),
    # Gesprek -------------------------------------------------------------------------------------------
    Action("volgende-vraag", TALK_GROUP, lambda now: "Volgende gespreksvraag",
           unless_ended(lambda now: NOT_AT_STEP if not now.at_step else
                        None if len(now.step.prompts) > 1 else "Deze stap heeft geen andere gespreksvraag."),
           plain(changes.next_prompt), shortcut="G"),
    Action("puzzelstukjes", TALK_GROUP,
           lambda now: "Verberg wat elke rol weet" if now.pieces_shown else "Toon wat elke rol weet",
           unless_ended(lambda now: NOT_AT_STEP if not now.at_step else
                        None if now.step.pieces else "Bij deze stap weet geen rol iets extra."),
           plain(changes.toggle("pieces_shown")), shortcut="P"),
    Action("spreker", TALK_GROUP, lambda now: "Kies iemand die iets zegt",
           unless_ended(lambda now: None if now.present else "Er doet nog niemand mee."),
           plain(changes.pick_speaker), shortcut="S"),
    Action("vragenronde", TALK_GROUP,
           lambda now: "Sluit de vragenronde" if now.asking else "Vragenronde: wat zou jij doen, wat houdt je tegen?",
           unless_ended(question_round_refused), plain(changes.toggle("asking")), shortcut="V"),
    Action("volgorde", TALK_GROUP,
           lambda now: "Antwoorden op volgorde van tijd" if now.by_support else "Antwoorden op volgorde van ‘ik ook’",
           unless_ended(lambda now: None if now.asking else "Dit kan tijdens de vragenronde."),
           plain(changes.toggle("by_support"))),
    # Tijd ----------------------------------------------------------------------------------------------
    Action("timer-start", TIME_GROUP, lambda now: "Start de tijd",
           unless_ended(lambda now: NO_TIME if not now.timer.seconds else
                        "De tijd loopt al." if now.timer.running else None),
           plain(changes.timer("start")), shortcut="T"),
    Action("timer-pauze", TIME_GROUP, lambda now: "Zet de tijd stil",
           unless_ended(lambda now: None if now.timer.running else "De tijd loopt niet."),
           plain(changes.timer("pauze")), shortcut="T"),
    Action("timer-reset", TIME_GROUP, lambda now: "Zet de tijd terug",
           unless_ended(lambda now: None if now.timer.seconds else NO_TIME), plain(changes.timer("reset"))),
    Action("auto-tijd", TIME_GROUP,
           lambda now: "Tijd niet meer vanzelf starten" if now.auto_timer else "Tijd vanzelf starten bij elk onderdeel",
           unless_ended(always), plain(changes.toggle("auto_timer"))),
    # Sessie --------------------------------------------------------------------------------------------
    Action("vorige", SESSION_GROUP, lambda now: "← Terug",
           unless_ended(lambda now: None if now.can_go_back else "Dit is het begin."),
           plain(lambda workshop, now: changes.go(workshop, now, forward=False)), shortcut="←"),
    Action("volgende", SESSION_GROUP,
           lambda now: "Verder zonder einde van de kaart" if now.leaves_card_unfinished else "Verder →",
           unless_ended(lambda now: None if now.can_go_forward else
                        "Dit is het laatste onderdeel. Beëindig de sessie als jullie klaar zijn."),
           forward_rule),
    Action("slot", SESSION_GROUP, lambda now: "Deelnemen weer openen" if now.locked else "Deelnemen sluiten",
           unless_ended(always), plain(changes.toggle("locked"))),
    Action("grote-zaal", SESSION_GROUP,
           lambda now: "Meedoen weer met bijnaam" if now.hall else "Grote zaal: meedoen zonder bijnaam",
           unless_ended(always), plain(changes.toggle("hall"))),
    Action("einde", SESSION_GROUP, lambda now: "Sessie beëindigen", unless_ended(always), plain(changes.end)),
)
ACTIONS: dict[str, Action] = {action.name: action for action in TABLE}


def control(name: str, now: Situation, label: str | None = None, reason: str | None = None, **fields: str) -> Control:
    """The console's button for an action in this situation; `reason` turns it off for what the form would say."""
    action = ACTIONS[name]
    return Control(name, label or action.label(now), action.why_not(now) or reason, action.shortcut, dict(fields))


def perform(workshop: Workshop, name: str, form: Mapping[str, str]) -> Refusal | None:
    """Carry out an action as one change; a refusal (and nothing changed) when the table or the rule says no."""
    action = ACTIONS[name]
    return changes.apply(workshop, action.why_not, lambda locked, now: action.rule(locked, now, form))
