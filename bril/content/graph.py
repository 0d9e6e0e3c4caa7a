"""The shape of a card: where its options lead, whether every step is reached and every route can end.

The checks speak of steps and endings only through their ids, options and lines, so they hold for a
card read from a file as for one an author builds in the browser.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from .problems import Problems


class Option(Protocol):
    label: str
    target: str
    line: int


class Step(Protocol):
    id: str
    options: Sequence[Option]


Ending = object  # an ending is only looked up by its id here


def check_graph(path: Path, steps: Mapping[str, Step], endings: Mapping[str, Ending], lines: dict[str, int],
                problems: Problems) -> None:
    """Every option leads somewhere, every node is reached, and every route can end."""
    nodes = set(steps) | set(endings)
    for step in steps.values():
        for option in step.options:
            if option.target not in nodes:
                problems.add(path, option.line, f"de optie `{option.label}` in stap `{step.id}` wijst naar "
                                              f"`{option.target}`, maar die stap of dat einde bestaat niet.")
    start = next(iter(steps))
    reached = {start}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for option in steps[current].options if current in steps else ():
            if option.target in nodes and option.target not in reached:
                reached.add(option.target)
                queue.append(option.target)
    for node in sorted(nodes - reached, key=lambda n: lines[n]):
        problems.add(path, lines[node], f"bij `{node}` kom je nooit: geen enkele optie wijst ernaartoe.")
    can_end = set(endings)
    changed = True
    while changed:
        changed = False
        for step in steps.values():
            if step.id not in can_end and any(o.target in can_end for o in step.options):
                can_end.add(step.id)
                changed = True
    trapped = sorted((reached & set(steps)) - can_end, key=lambda n: lines[n])
    if trapped and steps[trapped[0]].options:
        names = ", ".join(f"`{n}`" for n in trapped)
        problems.add(path, lines[trapped[0]], f"vanaf {names} kom je nooit bij een einde: de opties gaan in een "
                                              "rondje. Laat minstens één optie naar een einde leiden.")
    if not endings:
        problems.add(path, lines[start], "de kaart heeft geen einde. Voeg minstens één `# Einde naam: titel` toe.")


def shortest_route(steps: Mapping[str, Step], endings: Mapping[str, Ending], start: str) -> int:
    """The number of decisions on the shortest route from `start` to an ending."""
    distance = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current in endings:
            return distance[current]
        for option in steps[current].options:
            if option.target not in distance:
                distance[option.target] = distance[current] + 1
                queue.append(option.target)
    return 0


def longest_route(steps: Mapping[str, Step], endings: Mapping[str, Ending], node: str, visited: frozenset[str]) -> int:
    """The number of decisions on the longest route from `node` to an ending that visits no step twice."""
    if node in endings:
        return 0
    routes = [1 + longest_route(steps, endings, o.target, visited | {node})
              for o in steps[node].options if o.target not in visited and o.target != node]
    # A dead end (every option loops back) is no route at all.
    return max((r for r in routes if r > 0), default=-1_000)
