"""Render author Markdown to HTML that is safe to put in a page."""
from __future__ import annotations

import threading

import markdown
import nh3
from markupsafe import Markup

BLOCK_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "blockquote", "h3", "h4", "br", "code"}
INLINE_TAGS = {"strong", "em", "a", "code", "br"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


# Building a Markdown converter is costly; one reused converter makes loading content several times faster.
_converter = markdown.Markdown(output_format="html")
_lock = threading.Lock()


def to_html(text: str) -> str:
    """Convert Markdown to (unsanitised) HTML."""
    with _lock:
        return _converter.reset().convert(text)


def render(text: str) -> Markup:
    """Render Markdown to sanitised block HTML."""
    html = to_html(text)
    return Markup(nh3.clean(html, tags=BLOCK_TAGS, attributes=ATTRIBUTES,
                            url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"))


def render_inline(text: str) -> Markup:
    """Render a Markdown fragment without the surrounding paragraph."""
    html = to_html(text)
    return Markup(nh3.clean(html, tags=INLINE_TAGS, attributes=ATTRIBUTES,
                            url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"))


def plain(text: str) -> str:
    """Strip Markdown and HTML, leaving the words (for titles, CSV and search)."""
    return nh3.clean(to_html(text), tags=set()).strip()
