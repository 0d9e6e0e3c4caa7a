"""Dilemma cards: the library, walking a card alone, its map, and its printable version."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from . import walks
from .content import Dilemma, role_label, theme_label
from .dilemma_map import draw_map
from .extensions import library
from .libraries import library_here
from .forms import ButtonForm, ReflectionForm
from .models import db
from .reporting import book_here

bp = Blueprint("dilemmas", __name__, url_prefix="/dilemmas")


ROUTE_REFLECTION = "Jouw reflectie op deze route"


def routes_of(dilemma: Dilemma) -> list:
    """The card's reporting routes as the reader's organisation has them (one it removed is left out)."""
    book = book_here()
    return [book.routes[key] for key in dilemma.meldroutes if key in book.routes]


def get_dilemma(slug: str) -> Dilemma:
    dilemma = library_here().dilemmas.get(slug)
    if dilemma is None:
        abort(404)
    return dilemma


@bp.route("/")
def index():
    """List the cards, filtered by role, theme and story."""
    cards = list(library_here().dilemmas.values())
    role, theme, story = (request.args.get(name, "") for name in ("rol", "thema", "verhaal"))
    shown = [d for d in cards if (not role or d.role == role) and (not theme or theme in d.themes)
             and (not story or story in d.stories)]
    return render_template("dilemmas/index.html", cards=shown, stories=library_here().stories,
                           roles=[(r, role_label(r)) for r in sorted({d.role for d in cards})],
                           themes=[(t, theme_label(t)) for t in library_here().dilemma_themes],
                           story_options=[(slug, s.name) for slug, s in library_here().stories.items()],
                           role=role, theme=theme, story=story)


@bp.route("/<slug>")
def intro(slug: str):
    """Introduce a card with its Leeswijzer; start or resume a walk."""
    dilemma = get_dilemma(slug)
    walk = walks.find_walk(dilemma)
    return render_template("dilemmas/intro.html", dilemma=dilemma, walk=walk, form=ButtonForm(),
                           stories=library_here().stories, bundled=slug in library().dilemmas)


@bp.route("/<slug>/start", methods=["POST"])
def start(slug: str):
    """Begin a new walk at the first step."""
    dilemma = get_dilemma(slug)
    if ButtonForm().validate_on_submit():
        walks.start_walk(dilemma)
    return redirect(url_for(".walk", slug=slug))


@bp.route("/<slug>/lopen")
def walk(slug: str):
    """Resume: go to the place where the walk stands now."""
    dilemma = get_dilemma(slug)
    found = walks.find_walk(dilemma)
    if found is None:
        return redirect(url_for(".intro", slug=slug))
    return redirect(place_now(dilemma, walks.state(dilemma, found)))


def place_now(dilemma: Dilemma, current: walks.WalkState) -> str:
    """The address of where a walk stands: the consequences just seen, the next step, or the ending."""
    taken = len(current.position.route)
    if current.reviewing:
        return url_for(".consequence", slug=dilemma.slug, number=taken)
    if current.position.node in dilemma.endings:
        return url_for(".ending", slug=dilemma.slug)
    return url_for(".step", slug=dilemma.slug, number=taken + 1)


def walk_state(slug: str) -> tuple[Dilemma, walks.WalkState | None]:
    dilemma = get_dilemma(slug)
    found = walks.find_walk(dilemma)
    return dilemma, walks.state(dilemma, found) if found else None


@bp.route("/<slug>/lopen/<int:number>")
def step(slug: str, number: int):
    """Step `number` of the walk, also when it was passed already (the browser's Back)."""
    dilemma, current = walk_state(slug)
    if current is None:
        return redirect(url_for(".intro", slug=slug))
    if walks.node_at(current.position, number) not in dilemma.steps:
        return redirect(place_now(dilemma, current))
    return render_step(dilemma, current, number)


def render_step(dilemma: Dilemma, current: walks.WalkState, number: int) -> str:
    route = current.position.route
    node = walks.node_at(current.position, number)
    earlier = route[number - 1].option if number <= len(route) else None
    return render_template("dilemmas/step.html", dilemma=dilemma, state=current, number=number,
                           step=dilemma.steps[node], earlier=earlier,
                           count=walks.count_steps(dilemma, route[:number - 1], node))


@bp.route("/<slug>/lopen/<int:number>/gevolg")
def consequence(slug: str, number: int):
    """What decision `number` means for the client and the people around them."""
    dilemma, current = walk_state(slug)
    if current is None:
        return redirect(url_for(".intro", slug=slug))
    route = current.position.route
    if not 1 <= number <= len(route):
        return redirect(place_now(dilemma, current))
    choice = route[number - 1]
    return render_template("dilemmas/consequence.html", dilemma=dilemma, state=current, number=number,
                           choice=choice, form=ButtonForm(),
                           count=walks.count_steps(dilemma, route[:number - 1], choice.step.id))


@bp.route("/<slug>/lopen/einde")
def ending(slug: str):
    """The ending of the route walked."""
    dilemma, current = walk_state(slug)
    if current is None:
        return redirect(url_for(".intro", slug=slug))
    if current.position.node not in dilemma.endings:
        return redirect(place_now(dilemma, current))
    if current.walk.ended_at is None or current.reviewing:
        walks.proceed(dilemma, current.walk)
    return render_ending(dilemma, current, ReflectionForm(label=ROUTE_REFLECTION))


def render_ending(dilemma: Dilemma, current: walks.WalkState, reflection_form: ReflectionForm) -> str:
    """The ending: reflection, route, totals of others, actions and the reflection form."""
    return render_template("dilemmas/ending.html", dilemma=dilemma, state=current, form=ButtonForm(),
                           ending=dilemma.endings[current.position.node], totals=walks.choice_totals(dilemma),
                           reflection_form=reflection_form,
                           routes=routes_of(dilemma))


def posted_number(name: str) -> int:
    value = request.form.get(name, "")
    return int(value) if value.isdigit() and len(value) < 4 else 0


@bp.route("/<slug>/kies", methods=["POST"])
def choose(slug: str):
    """Take an option at a step of the walk (the step's number comes with the form)."""
    dilemma, current = walk_state(slug)
    if current is None or not ButtonForm().validate_on_submit():
        return redirect(url_for(".walk", slug=slug))
    number = posted_number("stap") or len(current.position.route) + 1
    if walks.node_at(current.position, number) not in dilemma.steps:
        return redirect(place_now(dilemma, current))
    if not walks.choose(dilemma, current.walk, number, posted_number("optie")):
        # Back to the step's own address (not a page answering the post), so the browser's Back stays
        # clean; the message stands beside the options.
        flash("Kies eerst een van de opties.", "bij-formulier")
        return redirect(url_for(".step", slug=slug, number=number))
    return redirect(url_for(".consequence", slug=slug, number=number))


@bp.route("/<slug>/verder", methods=["POST"])
def proceed(slug: str):
    """Go on from the consequences of decision `stap` to the next step or the ending."""
    dilemma, current = walk_state(slug)
    if current is None or not ButtonForm().validate_on_submit():
        return redirect(url_for(".walk", slug=slug))
    route = current.position.route
    number = posted_number("stap") or len(route)
    if number >= len(route):
        walks.proceed(dilemma, current.walk)
        return redirect(place_now(dilemma, walks.state(dilemma, current.walk)))
    return redirect(url_for(".step", slug=slug, number=number + 1))


@bp.route("/<slug>/reflectie", methods=["POST"])
def reflect(slug: str):
    """Store a private reflection on the route just walked."""
    dilemma = get_dilemma(slug)
    found = walks.find_walk(dilemma)
    if found is None or not current_user.is_authenticated:
        abort(404)
    form = ReflectionForm(label=ROUTE_REFLECTION)
    if form.validate_on_submit():
        found.reflection = form.body.data.strip()
        db.session.commit()
        # Shown beside the form, where the reader looks after saving (base.html leaves this category out).
        flash("Je reflectie is opgeslagen. Alleen jij kunt hem lezen.", "bij-formulier")
        return redirect(url_for(".ending", slug=slug) + "#reflectie")
    current = walks.state(dilemma, found)
    if current.position.node not in dilemma.endings:
        return redirect(url_for(".walk", slug=slug))
    return render_ending(dilemma, current, form), 422


@bp.route("/<slug>/kaart")
def old_map_address(slug: str):
    """The overview was once called 'kaart', which also means the card itself; old links still work."""
    return redirect(url_for(".map_view", slug=slug), 301)


@bp.route("/<slug>/routes")
def map_view(slug: str):
    """Every route through the card as a diagram, with the route just walked, and as a text outline."""
    dilemma = get_dilemma(slug)
    found = walks.find_walk(dilemma)
    route = walks.state(dilemma, found).position.route if found else ()
    return render_template("dilemmas/map.html", dilemma=dilemma, route=route, drawing=draw_map(dilemma, route))


@bp.route("/<slug>/print")
def print_view(slug: str):
    """The card and its Leeswijzer for paper."""
    dilemma = get_dilemma(slug)
    return render_template("dilemmas/print.html", dilemma=dilemma, stories=library_here().stories,
                           routes=routes_of(dilemma))
