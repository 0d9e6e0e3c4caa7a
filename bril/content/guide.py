"""What a facilitator reads beside a card: the Leeswijzer (goal, time, approach, pitfalls) and the kader
(the rules that matter at each step, with their public source)."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .. import markup
from .fields import FieldReader, suggest

LEESWIJZER_FIELDS = ("doel", "groepsgrootte", "tijd", "aanpak", "valkuilen", "tijd_per_stap", "nabespreking",
                     "alleen", "team", "grote_zaal", "doorgeven")
LEESWIJZER_EXTRA = ("nabespreking", "alleen", "team", "grote_zaal", "doorgeven")
KADER_FIELDS = ("regels", "valkuil")
RULE_FIELDS = ("naam", "stappen", "uitleg", "bron")
REQUIRE_KADER = True


@dataclass(frozen=True)
class Leeswijzer:
    """The facilitator's guide to a card."""

    goal: Markup
    group_size: str
    minutes: int
    approach: Markup
    pitfalls: tuple[Markup, ...]
    step_minutes: dict[str, int] = field(default_factory=dict)
    debrief: Markup | None = None
    alone: Markup | None = None
    team: Markup | None = None
    hall: Markup | None = None
    pass_on: Markup | None = None


@dataclass(frozen=True)
class Rule:
    """One rule that matters in a card, at which steps, explained plainly, with its public source."""

    name: str
    steps: tuple[str, ...]
    explanation: Markup
    source: Markup


@dataclass(frozen=True)
class Kader:
    """The legal frame of a card for the facilitator: the rules per step and the usual pitfall."""

    rules: tuple[Rule, ...]
    pitfall: Markup


def parse_leeswijzer(reader: FieldReader) -> Leeswijzer:
    """Read the facilitator's guide: goal, group size, time, approach and pitfalls."""
    data = reader.header.data.get("leeswijzer")
    if not isinstance(data, dict):
        reader.problem("de `leeswijzer` ontbreekt. Schrijf eronder `doel`, `groepsgrootte`, `tijd`, `aanpak` en "
                       "`valkuilen`.", "leeswijzer")
        return Leeswijzer(Markup(""), "", 0, Markup(""), ())
    for name in data:
        if name not in LEESWIJZER_FIELDS:
            reader.problem(f"het veld `{name}` ken ik niet in de leeswijzer.", "leeswijzer", name)
    texts = {name: reader.text(name, within=data, key=("leeswijzer", name))
             for name in ("doel", "groepsgrootte", "aanpak")}
    minutes = data.get("tijd")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        reader.problem("de `tijd` in de leeswijzer is het aantal minuten, een getal zoals `45`.", "leeswijzer",
                       "tijd")
        minutes = 0
    pitfalls = data.get("valkuilen")
    if not isinstance(pitfalls, list) or not pitfalls or not all(isinstance(p, str) and p.strip() for p in pitfalls):
        reader.problem("zet onder `valkuilen` in de leeswijzer minstens één valkuil, op een eigen regel met `- `.",
                       "leeswijzer", "valkuilen")
        pitfalls = []
    extra = {name: reader.text(name, required=REQUIRE_KADER, within=data, key=("leeswijzer", name))
             for name in LEESWIJZER_EXTRA}
    step_minutes = data.get("tijd_per_stap") or {}
    if not isinstance(step_minutes, dict):
        reader.problem("onder `tijd_per_stap` zet je per stap `naam-van-de-stap: minuten`.", "leeswijzer",
                       "tijd_per_stap")
        step_minutes = {}
    elif REQUIRE_KADER and not step_minutes:
        reader.problem("de leeswijzer mist `tijd_per_stap`: zet per stap `naam-van-de-stap: minuten`.",
                       "leeswijzer")
    rendered = {name: markup.render(text) if text else None for name, text in extra.items()}
    return Leeswijzer(markup.render_inline(texts["doel"]), texts["groepsgrootte"], minutes,
                      markup.render(texts["aanpak"]), tuple(markup.render_inline(p) for p in pitfalls),
                      {str(k): v for k, v in step_minutes.items()}, rendered["nabespreking"], rendered["alleen"],
                      rendered["team"], rendered["grote_zaal"], rendered["doorgeven"])


def check_step_minutes(reader: FieldReader, leeswijzer: Leeswijzer, steps: set[str]) -> None:
    """Every entry of `tijd_per_stap` names a step and a number of minutes."""
    for step_id, minutes in leeswijzer.step_minutes.items():
        if step_id not in steps:
            reader.problem(f"in `tijd_per_stap` staat `{step_id}`, maar die stap bestaat niet.{suggest(step_id, steps)}",
                           "leeswijzer", "tijd_per_stap", step_id)
        elif not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            reader.problem(f"de tijd voor stap `{step_id}` is een aantal minuten, een getal zoals `10`.",
                           "leeswijzer", "tijd_per_stap", step_id)


def parse_kader(reader: FieldReader, steps: set[str]) -> Kader | None:
    """Read the legal frame: the rules that matter, at which steps, with their source, and the usual pitfall."""
    data = reader.header.data.get("kader")
    if data is None:
        if REQUIRE_KADER:
            reader.problem("het `kader` ontbreekt: welke regels spelen bij welke stap, met hun bron, en de valkuil "
                           "van teams. Zie docs/auteurs.md.")
        return None
    if not isinstance(data, dict):
        reader.problem("onder `kader` horen de velden `regels` en `valkuil`, ingesprongen met spaties.", "kader")
        return None
    for name in data:
        if name not in KADER_FIELDS:
            reader.problem(f"het veld `{name}` ken ik niet in het kader.{suggest(str(name), KADER_FIELDS)}",
                           "kader", name)
    pitfall = reader.text("valkuil", within=data, key=("kader", "valkuil"))
    entries = data.get("regels")
    if not isinstance(entries, list) or not entries:
        reader.problem("zet onder `regels` in het kader minstens één regel, beginnend met `- naam: ...`.",
                       "kader", "regels")
        entries = []
    rules = []
    for index, entry in enumerate(entries):
        key = ("kader", "regels", index)
        if not isinstance(entry, dict):
            reader.problem("een regel in het kader heeft de velden `naam`, `stappen`, `uitleg` en `bron`.", *key)
            continue
        for name in entry:
            if name not in RULE_FIELDS:
                reader.problem(f"het veld `{name}` ken ik niet bij een regel in het kader.", *key, name)
        texts = {name: reader.text(name, within=entry, key=(*key, name)) for name in ("naam", "uitleg", "bron")}
        named = entry.get("stappen")
        if not isinstance(named, list) or not named:
            reader.problem("zet onder `stappen` de namen van de stappen waar deze regel speelt, of `alle`.",
                           *key, "stappen")
            named = []
        for position, step_id in enumerate(named):
            if step_id != "alle" and step_id not in steps:
                reader.problem(f"de stap `{step_id}` in het kader bestaat niet.{suggest(str(step_id), steps)}",
                               *key, "stappen", position)
        rules.append(Rule(texts["naam"], tuple(map(str, named)), markup.render(texts["uitleg"]),
                          markup.render_inline(texts["bron"])))
    return Kader(tuple(rules), markup.render(pitfall) if pitfall else Markup(""))
