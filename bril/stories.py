"""Reading the stories: the library, scene by scene with signals, and the closing page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from . import progress
from .content import Scene, Story, role_label, theme_label
from .extensions import library
from .libraries import library_here
from .reporting import book_here
from .forms import ButtonForm, ReflectionForm
from .models import Reflection, db

bp = Blueprint("stories", __name__, url_prefix="/verhalen")


def get_story(slug: str) -> Story:
    story = library_here().stories.get(slug)
    if story is None:
        abort(404)
    return story


def get_scene(story: Story, number: int) -> Scene:
    if not 1 <= number <= len(story.scenes):
        abort(404)
    return story.scenes[number - 1]


@bp.route("/")
def index():
    """List the stories, filtered by theme and role."""
    stories = list(library_here().stories.values())
    theme, role = request.args.get("thema", ""), request.args.get("rol", "")
    shown = [s for s in stories if (not theme or theme in s.themes) and (not role or role in s.roles)]
    roles = [(r, role_label(r)) for r in sorted({r for s in stories for r in s.roles})]
    return render_template("stories/index.html", stories=shown, themes=[(t, theme_label(t)) for t in library_here().themes],
                           roles=roles, theme=theme, role=role)


@bp.route("/<slug>")
def intro(slug: str):
    """Introduce a story and offer to start or resume."""
    story = get_story(slug)
    return render_template("stories/intro.html", story=story, resume=progress.resume_url(story),
                           bundled=slug in library().stories)


@bp.route("/<slug>/scene/<int:number>", methods=["GET", "POST"])
def scene(slug: str, number: int):
    """Show a scene and let the reader mark the passages they think are signals."""
    story = get_story(slug)
    current = get_scene(story, number)
    form = ButtonForm()  # the chosen passages are plain checkboxes named `zin`
    if form.validate_on_submit():
        progress.save_answer(story, current, set(request.form.getlist("zin")))
        reveal = url_for(".reveal", slug=slug, number=number)
        progress.remember_place(story, reveal)
        return redirect(reveal)
    progress.remember_place(story, url_for(".scene", slug=slug, number=number))
    return render_template("stories/scene.html", story=story, scene=current, form=form,
                           chosen=progress.chosen_in(story, current) or set())


@bp.route("/<slug>/scene/<int:number>/signalen")
def reveal(slug: str, number: int):
    """Reveal the real signals of a scene next to what the reader picked."""
    story = get_story(slug)
    current = get_scene(story, number)
    chosen = progress.chosen_in(story, current)
    if chosen is None:
        flash("Kies eerst de zinnen die jij een signaal vindt.")
        return redirect(url_for(".scene", slug=slug, number=number))
    if number < len(story.scenes):
        following = url_for(".scene", slug=slug, number=number + 1)
    else:
        following = url_for(".closing", slug=slug)
    return render_template("stories/reveal.html", story=story, scene=current, chosen=chosen,
                           score=progress.score(current, chosen), following=following)


@bp.route("/<slug>/afsluiting", methods=["GET", "POST"])
def closing(slug: str):
    """The professional's view, the questions, the reporting route and a reflection."""
    story = get_story(slug)
    form = ReflectionForm()
    if current_user.is_authenticated and form.validate_on_submit():
        db.session.add(Reflection(user_id=current_user.id, story=story.slug, body=form.body.data.strip()))
        db.session.commit()
        flash("Je reflectie is opgeslagen. Alleen jij kunt hem lezen.")
        return redirect(url_for(".closing", slug=slug) + "#reflecties")
    scores = [progress.score(s, chosen) for s in story.scenes
              if (chosen := progress.chosen_in(story, s)) is not None]
    progress.remember_place(story, url_for(".closing", slug=slug), finished=len(scores) == len(story.scenes))
    book = book_here()
    routes = [book.routes[key] for key in story.meldroutes if key in book.routes]
    own = progress.reflections(current_user, story.slug) if current_user.is_authenticated else []
    return render_template("stories/closing.html", story=story, form=form, routes=routes, reflections=own,
                           cards=library_here().dilemmas_for(story.slug),
                           found=sum(len(s.found) for s in scores), answered=len(scores))
