"""Render author Markdown to HTML that is safe to put in a page."""
from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

BLOCK_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "blockquote", "h3", "h4", "br", "code"}
INLINE_TAGS = {"strong", "em", "a", "code", "br"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(text: str) -> Markup:
    """Render Markdown to sanitised block HTML."""
    html = markdown.markdown(text, output_format="html")
    return Markup(nh3.clean(html, tags=BLOCK_TAGS, attributes=ATTRIBUTES,
                            url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"))


def render_inline(text: str) -> Markup:
    """Render a Markdown fragment without the surrounding paragraph."""
    html = markdown.markdown(text, output_format="html")
    return Markup(nh3.clean(html, tags=INLINE_TAGS, attributes=ATTRIBUTES,
                            url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"))


def plain(text: str) -> str:
    """Strip Markdown and HTML, leaving the words (for titles, CSV and search)."""
    return nh3.clean(markdown.markdown(text), tags=set()).strip()
