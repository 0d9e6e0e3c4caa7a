"""Bind everything to an app: database, login, CSRF, content, broker, security headers, template helpers,
error pages and the hourly purge. The one module allowed to reach every layer (app.py calls it)."""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask, Response, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import delete
from werkzeug.middleware.proxy_fix import ProxyFix

from . import addresses, clock, markup, security
from .content import role_in_sentence, role_label, theme_label
from .content.dilemmas import OUTCOMES
from .extensions import DatabaseId, csrf, load_content, login_manager
from .models import ContentKind, LoginSession, ReviewState, db, utcnow
from .sessions import broker
from .sessions.changes import purge_expired

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Bind database, login, CSRF and content to the app (before the blueprints add their routes)."""
    app.url_map.converters["int"] = DatabaseId
    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    # A test run hands in one library parsed for the whole run (LIBRARY) instead of parsing the content again.
    app.extensions["bril.library"] = app.config.get("LIBRARY") or load_content(app)
    broker.init_app(app)
    app.after_request(security.add_headers)
    app.after_request(purge_now_and_then)
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.globals["role_in_sentence"] = role_in_sentence
    app.jinja_env.filters["role_in_sentence"] = role_in_sentence
    app.jinja_env.globals["theme_label"] = theme_label
    app.jinja_env.filters["theme_label"] = theme_label
    app.jinja_env.globals["outcome_label"] = OUTCOMES.get
    app.jinja_env.filters["review_label"] = lambda state: ReviewState(state).label
    app.jinja_env.filters["kind_label"] = lambda kind: ContentKind(kind).label
    app.jinja_env.filters["kind_folder"] = lambda kind: ContentKind(kind).folder
    app.jinja_env.filters["datum"] = clock.date
    app.jinja_env.filters["datumtijd"] = clock.date_time
    app.jinja_env.globals["now_epoch"] = time.time
    app.jinja_env.globals["external_url"] = addresses.external_url
    app.jinja_env.globals["trial_run"] = addresses.trial_run
    app.jinja_env.filters["md"] = markup.escape_markdown
    # Text files such as the Markdown report: no HTML escaping, and a block tag on its own line leaves none.
    app.extensions["bril.text"] = app.jinja_env.overlay(autoescape=False, trim_blocks=True, lstrip_blocks=True)
    app.register_error_handler(CSRFError, csrf_error)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, error_page)
    if app.config.get("PROXY_COUNT"):
        # Behind a reverse proxy, take the client's address from X-Forwarded-For (login throttling needs it).
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def csrf_error(error: CSRFError):
    """Explain an expired or missing form token in plain Dutch."""
    return render_template("error.html", code=400, title="Formulier verlopen",
                           message="Dit formulier is verlopen of niet compleet verstuurd. Ga terug, "
                                   "laad de pagina opnieuw en probeer het nog eens."), 400


def error_page(error):
    """Show a Dutch error page for common HTTP errors."""
    code = getattr(error, "code", 500)
    titles = {400: "Verzoek niet begrepen", 403: "Geen toegang", 404: "Pagina niet gevonden",
              405: "Dit kan zo niet", 413: "Te veel tekst", 429: "Even wachten", 500: "Er ging iets mis"}
    messages = {400: "De site begreep dit verzoek niet. Ga terug en probeer het opnieuw.",
                403: "Je hebt geen toegang tot deze pagina.",
                404: "Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina.",
                405: "Deze pagina werkt alleen via een knop op de site. Ga terug en gebruik de knop.",
                413: "Wat je verstuurde, is te groot. Ga terug, maak de tekst korter en probeer het opnieuw.",
                429: getattr(error, "description", None) or "Te veel pogingen. Wacht even en probeer het opnieuw.",
                500: "Er ging iets mis aan onze kant. Wat je net deed, is misschien niet bewaard. "
                     "Probeer het over een paar minuten opnieuw."}
    code = code if code in titles else 500
    response = render_template("error.html", code=code, title=titles[code], message=messages[code])
    headers = getattr(error, "retry_after", None)
    return (response, code, {"Retry-After": str(headers)}) if headers else (response, code)


_last_purge = [0.0]
PURGE_EVERY_SECONDS = 3600


def purge_now_and_then(response: Response) -> Response:
    """Delete expired participant data automatically, at most once an hour per process, beside the requests: nobody
    waits for it (300,000 votes took 6 s on PostgreSQL). A thread (a greenlet under gunicorn's gevent worker), not
    the response's close: the next request on the same connection, the redirect after a POST, would wait for that.

    Only after a POST: reading a page never writes (and a thousand polling phones never start a purge). The tests
    purge only when they set RETENTION_PURGE_SECONDS.
    """
    every = current_app.config.get("RETENTION_PURGE_SECONDS", None if current_app.testing else PURGE_EVERY_SECONDS)
    if request.method != "POST" or every is None or time.monotonic() - _last_purge[0] < every:
        return response
    _last_purge[0] = time.monotonic()
    purging[0] = threading.Thread(target=purge, args=(current_app._get_current_object(),), daemon=True)
    purging[0].start()
    return response


purging: list[threading.Thread | None] = [None]  # the last purge started, for a test to wait on


def purge(app: Flask) -> None:
    """Expired participant data and expired logins, in an app context of its own (it runs beside the request)."""
    with app.app_context():
        try:
            purge_expired(app.config["WORKSHOP_RETENTION_DAYS"])
            db.session.execute(delete(LoginSession).where(LoginSession.expires_at < utcnow()))
            db.session.commit()
        except Exception:  # the response has gone; a failed purge is logged and tried again in an hour
            log.exception("verlopen gegevens opruimen mislukt")
            db.session.rollback()
        finally:
            db.session.remove()
