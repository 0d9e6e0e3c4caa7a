"""Draw a dilemma card as an SVG diagram: steps in rows by distance from the start, endings at the bottom.

Each step box lists its options as A, B, C, D; the arrows leaving the box carry the same letters.
"""
from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass

from markupsafe import Markup, escape

from .content import Dilemma
from .content.dilemmas import LETTERS
from .content.routes import Choice

BOX_W, GAP_X, GAP_Y, MARGIN, LINE = 270, 60, 90, 30, 17
# A drawing of n columns is n × (BOX_W + GAP_X) wide; bril.css sizes `map-cols-1` to `map-cols-8`.
MAX_COLUMNS = 8
# Arrowhead size per kind of line, in drawing units: the route walked a little larger than the others.
ARROWHEADS = {"plain": 10, "other": 10, "route": 14}


@dataclass(frozen=True)
class Box:
    """A node placed on the drawing, with the lines it shows."""

    id: str
    ending: bool
    title: list[str]
    options: list[str]
    x: float
    y: float

    @property
    def height(self) -> float:
        return box_height(self.title, self.options)


def box_height(title: list[str], options: list[str]) -> float:
    return 30 + LINE * len(title) + (8 + LINE * len(options) if options else 0) + 8


def ranks(dilemma: Dilemma) -> dict[int, list[str]]:
    """Steps per row by their distance from the start; an ending one row below the deepest step leading to it.

    Endings sit beside the steps rather than all in one bottom row, so the drawing stays narrow and an
    arrow to an early ending is short. Within a row, nodes follow the order of the steps that lead to them,
    which keeps arrows from crossing where it can.
    """
    rank = {dilemma.start: 0}
    queue = deque([dilemma.start])
    while queue:
        node = queue.popleft()
        for option in dilemma.steps[node].options:
            if option.target in dilemma.steps and option.target not in rank:
                rank[option.target] = rank[node] + 1
                queue.append(option.target)
    sources: dict[str, list[str]] = {}
    for step in dilemma.steps.values():
        for option in step.options:
            sources.setdefault(option.target, []).append(step.id)
    for ending in dilemma.endings:
        rank[ending] = 1 + max((rank[s] for s in sources.get(ending, []) if s in rank), default=len(dilemma.steps))
    rows: dict[int, list[str]] = {}
    place: dict[str, float] = {}
    for row in sorted(set(rank.values())):
        nodes = [n for n in (*dilemma.steps, *dilemma.endings) if rank.get(n) == row]
        # Order by the mean place of the nodes above that lead here; steps before endings on a tie.
        def key(node: str) -> tuple[float, int]:
            above = [place[s] for s in sources.get(node, []) if s in place]
            return (sum(above) / len(above) if above else 0.0, node in dilemma.endings)
        nodes.sort(key=key)
        rows[len(rows)] = nodes
        place.update({node: (index + 1) / (len(nodes) + 1) for index, node in enumerate(nodes)})
    return rows


def layout(dilemma: Dilemma) -> tuple[dict[str, Box], float, float]:
    """Place every step and ending; return the boxes and the size of the drawing."""
    rows = ranks(dilemma)
    texts = {}
    for node in (*dilemma.steps, *dilemma.endings):
        if node in dilemma.steps:
            step = dilemma.steps[node]
            options = [f"{LETTERS[i]}. {textwrap.shorten(o.label, 34, placeholder='…')}"
                       for i, o in enumerate(step.options)]
            texts[node] = (textwrap.wrap(step.title, 30)[:3], options)
        else:
            texts[node] = (textwrap.wrap(dilemma.endings[node].title, 30)[:3], [])
    widest = max(len(nodes) for nodes in rows.values())
    width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    boxes: dict[str, Box] = {}
    top = MARGIN
    for row in sorted(rows):
        nodes = rows[row]
        left = (width - (len(nodes) * BOX_W + (len(nodes) - 1) * GAP_X)) / 2
        for index, node in enumerate(nodes):
            title, options = texts[node]
            boxes[node] = Box(node, node in dilemma.endings, title, options, left + index * (BOX_W + GAP_X), top)
        top += max(boxes[node].height for node in nodes) + GAP_Y
    return boxes, width, top - GAP_Y + MARGIN


def draw_map(dilemma: Dilemma, route: tuple[Choice, ...] = ()) -> Markup:
    """The card as inline SVG; the route walked is drawn solid and thick, everything else dashed."""
    boxes, width, height = layout(dilemma)
    on_route = {(c.step.id, c.option.number) for c in route}
    visited = ({dilemma.start} | {c.option.target for c in route}) if route else set()
    incoming: dict[str, list[tuple[str, int]]] = {}
    for step in dilemma.steps.values():
        for option in step.options:
            incoming.setdefault(option.target, []).append((step.id, option.number))
    # The drawing shrinks to the page down to two thirds of its size, then scrolls sideways: bril.css gives each
    # number of columns its widths (the site's CSP allows no style attribute).
    columns = min(MAX_COLUMNS, round(width / (BOX_W + GAP_X)))
    parts = [f'<svg class="dilemma-map map-cols-{columns}" viewBox="0 0 {width:.0f} {height:.0f}" '
             'role="img" aria-labelledby="kaart-titel kaart-uitleg" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="kaart-titel">Alle routes van de dilemmakaart: {escape(dilemma.title)}</title>',
             '<desc id="kaart-uitleg">Stappen en eindes, met de opties als pijlen A tot en met D. De tekstversie '
             'staat onder de tekening.</desc>',
             '<defs>', *(arrowhead(kind, size) for kind, size in ARROWHEADS.items()), '</defs>']
    edges, letters = [], []
    for step in dilemma.steps.values():
        source = boxes[step.id]
        for index, option in enumerate(step.options):
            target = boxes[option.target]
            kind = "route" if (step.id, option.number) in on_route else ("other" if route else "plain")
            x1 = source.x + BOX_W * (index + 1) / (len(step.options) + 1)
            y1 = source.y + source.height
            arrivals = incoming[option.target]
            slot = arrivals.index((step.id, option.number))
            if target.y > source.y:
                x2 = target.x + BOX_W * (slot + 1) / (len(arrivals) + 1)
                y2 = target.y
                bend = (y2 - y1) / 2
                path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + bend:.0f} {x2:.0f},{y2 - bend:.0f} {x2:.0f},{y2:.0f}"
            else:
                # Back up or sideways: go round the right-hand side so the line does not cross the boxes.
                x2, y2 = target.x + BOX_W, target.y + 20 + 10 * slot
                side = max(source.x, target.x) + BOX_W + GAP_X / 2
                path = (f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + 40:.0f} {side:.0f},{y1 + 40:.0f} {side:.0f},{y1:.0f} "
                        f"S{side:.0f},{y2:.0f} {x2:.0f},{y2:.0f}")
            edges.append(f'<path class="edge edge-{kind}" d="{path}" marker-end="url(#pijl-{kind})">'
                         f'<title>{escape(step.title)}, optie {LETTERS[index]}: {escape(option.label)}</title></path>')
            letters.append(f'<g class="letter letter-{kind}"><circle cx="{x1:.0f}" cy="{y1 + 14:.0f}" r="10"/>'
                           f'<text x="{x1:.0f}" y="{y1 + 18:.0f}" text-anchor="middle">{LETTERS[index]}</text></g>')
    nodes = [draw_box(box, dilemma, box.id in visited) for box in boxes.values()]
    parts += edges + nodes + letters + ["</svg>"]
    return Markup("".join(parts))


def arrowhead(kind: str, size: int) -> str:
    """An arrowhead in drawing units, so a thick route line does not get a head three times as large."""
    return (f'<marker id="pijl-{kind}" class="arrowhead-{kind}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerUnits="userSpaceOnUse" markerWidth="{size}" markerHeight="{size}" orient="auto-start-reverse">'
            '<path d="M0,0 L10,5 L0,10 z"/></marker>')


def draw_box(box: Box, dilemma: Dilemma, visited: bool) -> str:
    """One step or ending: its kind, its title and (for a step) its lettered options."""
    kind = "ending" if box.ending else "step"
    caption = "Einde" if box.ending else ("Start" if box.id == dilemma.start else "Stap")
    centre = box.x + BOX_W / 2
    title = "".join(f'<tspan x="{centre:.0f}" dy="{LINE if i else 0}">{escape(line)}</tspan>'
                    for i, line in enumerate(box.title))
    first_option = box.y + 30 + LINE * len(box.title) + 8
    options = "".join(f'<text class="node-option" x="{box.x + 12:.0f}" y="{first_option + LINE * i:.0f}">'
                      f'{escape(line)}</text>' for i, line in enumerate(box.options))
    return (f'<g class="node node-{kind}{" node-route" if visited else ""}" id="kaart-{escape(box.id)}">'
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{BOX_W}" height="{box.height:.0f}" rx="8"/>'
            f'<text class="node-kind" x="{box.x + 12:.0f}" y="{box.y + 16:.0f}">{"✓ " if visited else ""}'
            f'{caption}</text>'
            f'<text class="node-title" x="{centre:.0f}" y="{box.y + 36:.0f}" text-anchor="middle">{title}</text>'
            f'{options}</g>')
