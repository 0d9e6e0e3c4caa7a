"""Render author Markdown to HTML that is safe to put in a page, and escape plain text for Markdown."""
from __future__ import annotations

import functools
import re
import threading

import markdown
import nh3
from markupsafe import Markup

BLOCK_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "blockquote", "h3", "h4", "br", "code"}
INLINE_TAGS = {"strong", "em", "a", "code", "br"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Characters that are Markdown or HTML anywhere in a line, and the list and underline marks that only
# count at its start. HTML becomes entities: not every Markdown tool (Python-Markdown among them) reads \<.
MARKDOWN_SIGNS = re.compile(r"[\\`*_\[\]|#~<>]|&(?=#?\w+;)")
ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
LINE_START_SIGNS = re.compile(r"^([ \t]*(?:\d+(?=[.)]))?)([-+=.)])", re.MULTILINE)
LINE_BREAKS = re.compile(r"\r\n?|\n")


# Building a Markdown converter is costly; one reused converter makes loading content several times faster.
_converter = markdown.Markdown(output_format="html")
_lock = threading.Lock()


# An editor checks a draft on every save: most of its fields are as they were, so their HTML is kept.
@functools.lru_cache(maxsize=8192)
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


def escape_markdown(text: str | None, cell: bool = False) -> str:
    """Escape plain text so Markdown shows it as typed; in a table `cell` its line breaks become spaces."""
    text = LINE_BREAKS.sub(" " if cell else "\n", text or "")
    text = MARKDOWN_SIGNS.sub(lambda sign: ENTITIES.get(sign.group(), "\\" + sign.group()), text)
    return LINE_START_SIGNS.sub(r"\1\\\2", text)
