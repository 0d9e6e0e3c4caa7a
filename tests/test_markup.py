"""Escaping plain text for Markdown: what a participant typed shows as typed and adds no markup."""
from __future__ import annotations

import markdown
import pytest

from bril.markup import escape_markdown

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "**vet** en _schuin_ en *ook* en ~~weg~~",
    "[klik](javascript:alert(1)) ![beeld](http://x/y.png)",
    "`code` en ```blok```",
    "# kop\n## nog een kop",
    "- lijst\n+ plus\n* ster\n1. een\n12) twee",
    "> citaat",
    "tekst\n===\nmeer\n---",
    "a | b | c",
    "C:\\map\\*bestand*",
    "&lt;script&gt; en &#60;b&#62;",
]


def html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_adds_no_markup(text: str) -> None:
    rendered = html(escape_markdown(text))
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    tags = {tag for tag in ("<script", "<img", "<em", "<strong", "<a ", "<code", "<h1", "<h2", "<ul", "<ol", "<li",
                            "<blockquote", "<hr", "<pre", "<table", "<del", "<b>") if tag in rendered[3:-4]}
    assert tags == set()


def test_signs_are_escaped_with_a_backslash_and_html_becomes_entities() -> None:
    assert escape_markdown(r"\ ` * _ [ ] | # ~") == r"\\ \` \* \_ \[ \] \| \# \~"
    assert escape_markdown("<b>a & b</b> &amp;") == "&lt;b&gt;a & b&lt;/b&gt; &amp;amp;"


def test_list_and_heading_marks_are_escaped_only_at_the_start_of_a_line() -> None:
    assert escape_markdown("- a\n+ b\n  3. c\n4) d\n===") == "\\- a\n\\+ b\n  3\\. c\n4\\) d\n\\==="
    assert escape_markdown("stap 1. bellen - 5.000 + 12-3 = 7") == "stap 1. bellen - 5.000 + 12-3 = 7"


def test_ordinary_text_stays_as_it_is() -> None:
    text = "Hoe werkt de meldcode bij ons? Bel de wijkagent (niet 112), vóór 1 juni!"
    assert escape_markdown(text) == text


def test_a_table_cell_keeps_to_one_line_and_one_cell() -> None:
    cell = escape_markdown("A | B\r\nC\rD\nE", cell=True)
    assert cell == "A \\| B C D E"
    table = html(f"| Wat | Wie |\n| --- | --- |\n| {cell} | team |")
    assert table.count("<td>") == 2 and "<td>A | B C D E</td>" in table


def test_line_breaks_are_kept_outside_a_table_and_nothing_becomes_empty_text() -> None:
    assert escape_markdown("een\r\ntwee\rdrie") == "een\ntwee\ndrie"
    assert escape_markdown(None) == "" and escape_markdown("") == ""
