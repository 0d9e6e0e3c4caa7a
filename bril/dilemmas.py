"""Dilemma cards: the library, walking a card alone, its map, and its printable version."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from . import walks
from .content import Dilemma, role_label
from .dilemma_map import draw_map
from .extensions import library
from .forms import Form
from .models import DilemmaWalk, db
from .privacy import NoPersonalData

bp = Blueprint("dilemmas", __name__, url_prefix="/dilemmas")


class ActionForm(Form):
    """A button that only needs the CSRF token."""


class ReflectionForm(Form):
    body = TextAreaField("Jouw reflectie op deze route", validators=[
        DataRequired("Schrijf eerst iets op."),
        Length(max=5000, message="Een reflectie is hoogstens 5000 tekens."),
        NoPersonalData(),
    ])


def get_dilemma(slug: str) -> Dilemma:
    dilemma = library().dilemmas.get(slug)
    if dilemma is None:
        abort(404)
    return dilemma


@bp.route("/")
def index():
    """List the cards, filtered by role, theme and story."""
    cards = list(library().dilemmas.values())
    role, theme, story = (request.args.get(name, "") for name in ("rol", "thema", "verhaal"))
    shown = [d for d in cards if (not role or d.role == role) and (not theme or theme in d.themes)
             and (not story or story in d.stories)]
    return render_template("dilemmas/index.html", cards=shown, stories=library().stories,
                           roles=[(r, role_label(r)) for r in sorted({d.role for d in cards})],
                           themes=[(t, t) for t in library().dilemma_themes],
                           story_options=[(slug, s.name) for slug, s in library().stories.items()],
                           role=role, theme=theme, story=story)


@bp.route("/<slug>")
def intro(slug: str):
    """Introduce a card with its Leeswijzer; start or resume a walk."""
    dilemma = get_dilemma(slug)
    walk = walks.find_walk(dilemma)
    return render_template("dilemmas/intro.html", dilemma=dilemma, walk=walk, form=ActionForm(),
                           stories=library().stories)


@bp.route("/<slug>/start", methods=["POST"])
def start(slug: str):
    """Begin a new walk at the first step."""
    dilemma = get_dilemma(slug)
    if ActionForm().validate_on_submit():
        walks.start_walk(dilemma)
    return redirect(url_for(".walk", slug=slug))


@bp.route("/<slug>/lopen")
def walk(slug: str):
    """Show where the walk stands: a step, the consequences of a choice, or the ending."""
    dilemma = get_dilemma(slug)
    found = walks.find_walk(dilemma)
    if found is None:
        return redirect(url_for(".intro", slug=slug))
    current = walks.state(dilemma, found)
    context = {"dilemma": dilemma, "state": current, "form": ActionForm()}
    if current.reviewing:
        return render_template("dilemmas/consequence.html", **context)
    if current.position.node in dilemma.endings:
        if found.ended_at is None:
            walks.proceed(dilemma, found)
        return render_ending(dilemma, current, ReflectionForm())
    return render_template("dilemmas/step.html", step=dilemma.steps[current.position.node], **context)


def render_ending(dilemma: Dilemma, current: walks.WalkState, reflection_form: ReflectionForm) -> str:
    """The ending: reflection, route, totals of others, actions and the reflection form."""
    return render_template("dilemmas/ending.html", dilemma=dilemma, state=current, form=ActionForm(),
                           ending=dilemma.endings[current.position.node], totals=walks.choice_totals(dilemma),
                           reflection_form=reflection_form,
                           routes=[library().meldroutes.routes[key] for key in dilemma.meldroutes])


def act_on_walk(slug: str, action) -> Response:
    """Apply a walk action posted from a form, then show where the walk stands."""
    dilemma = get_dilemma(slug)
    found = walks.find_walk(dilemma)
    if found is not None and ActionForm().validate_on_submit():
        action(dilemma, found)
    return redirect(url_for(".walk", slug=slug))


def take_option(dilemma: Dilemma, walk: DilemmaWalk) -> None:
    number = request.form.get("optie", "")
    if not (number.isdigit() and walks.choose(dilemma, walk, int(number))):
        flash("Kies eerst een van de opties.", "fout")


@bp.route("/<slug>/kies", methods=["POST"])
def choose(slug: str):
    """Take an option at the current step."""
    return act_on_walk(slug, take_option)


@bp.route("/<slug>/verder", methods=["POST"])
def proceed(slug: str):
    """Go on from the consequences to the next step or the ending."""
    return act_on_walk(slug, walks.proceed)


@bp.route("/<slug>/terug", methods=["POST"])
def back(slug: str):
    """Undo the last decision."""
    return act_on_walk(slug, walks.step_back)


@bp.route("/<slug>/reflectie", methods=["POST"])
def reflect(slug: str):
    """Store a private reflection on the route just walked."""
    dilemma = get_dilemma(slug)
    found = walks.find_walk(dilemma)
    if found is None or not current_user.is_authenticated:
        abort(404)
    form = ReflectionForm()
    if form.validate_on_submit():
        found.reflection = form.body.data.strip()
        db.session.commit()
        flash("Je reflectie is opgeslagen. Alleen jij kunt hem lezen.")
        return redirect(url_for(".walk", slug=slug) + "#reflectie")
    current = walks.state(dilemma, found)
    if current.position.node not in dilemma.endings:
        return redirect(url_for(".walk", slug=slug))
    return render_ending(dilemma, current, form)


@bp.route("/<slug>/kaart")
def map_view(slug: str):
    """The whole card as a diagram, with the route just walked, and as a text outline."""
    dilemma = get_dilemma(slug)
    found = walks.find_walk(dilemma)
    route = walks.state(dilemma, found).position.route if found else ()
    return render_template("dilemmas/map.html", dilemma=dilemma, route=route, drawing=draw_map(dilemma, route))


@bp.route("/<slug>/print")
def print_view(slug: str):
    """The card and its Leeswijzer for paper."""
    dilemma = get_dilemma(slug)
    return render_template("dilemmas/print.html", dilemma=dilemma, stories=library().stories)
