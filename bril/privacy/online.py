"""How a person is reached online: an e-mail address (also written to slip past a filter) and an account
on social media. And the folding of look-alike characters that every check reads through."""
from __future__ import annotations

import re
import unicodedata

from .numbers import CUE_REACH

Span = tuple[int, int]

_EMAIL = re.compile(
    r"(?<![\w.%+-])[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_%+-])?"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\w-])",
    re.IGNORECASE,
)

# Written to slip past a filter: jan[at]example.nl, jan(at)example(dot)nl, jan @ example.nl,
# jan.jansen at example dot nl. The address must end in a known top-level domain, so "at" and "dot"
# in ordinary sentences ("we zien elkaar at the office") never count.
_AT = r"(?:\s*[\[({<]\s*(?:at|@|apenstaartje)\s*[\])}>]\s*|\s*@\s*|\s+(?:at|apenstaartje)\s+)"
_DOT = r"(?:\s*[\[({<]\s*(?:dot|punt|\.)\s*[\])}>]\s*|\s+(?:dot|punt)\s+|\.)"
_TLD = r"(?:nl|be|eu|com|org|net|info|biz|io|frl|amsterdam|email|online|uk|fr)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.%+-])[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_%+-])?{_AT}"
    rf"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?{_DOT})+{_TLD}(?![\w-])",
    re.IGNORECASE,
)

# Characters that stand in for @ (fullwidth, small, circled) and invisible ones slipped between letters.
_AT_LIKE = {"\uff20", "\ufe6b", "\u24d0", "\u24b6"}
_INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}

# @jan_jansen. A plain word after @ (@wijkagent, @gemeente) reads as a mention of a role or a body and
# passes; a handle with a digit, an underscore, a dot or a capital inside is a person's account.
_HANDLE = re.compile(r"(?<![\w@.])@(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29}))")
_PLATFORM = (r"\b(?:insta(?:gram)?|snap(?:chat)?|tiktok|twitter|facebook|fb|telegram|discord|threads|bluesky|"
             r"youtube|twitch)\b")
_PLATFORM_WORD = re.compile(_PLATFORM, re.IGNORECASE)
# insta: jan.jansen99  /  snapchat = kitty_x  /  tiktok-account: jj2009
_NAMED_HANDLE = re.compile(
    rf"{_PLATFORM}[ -]?(?:account|naam|handle|profiel)?\s*[:=]\s*@?(?P<handle>[A-Za-z0-9_.]{{3,30}})",
    re.IGNORECASE,
)
_LONE = re.compile(r"\s*(?:$|[,;!?)\]]|\.(?:\s|$)|\n)")


def fold(text: str) -> tuple[str, list[int] | None]:
    """Text with look-alike characters made plain (＠ → @, ｊａｎ → jan, hidden spaces removed), and for
    each character the position it came from (None when nothing changed)."""
    if text.isascii() or (_AT_LIKE.isdisjoint(text) and _INVISIBLE.isdisjoint(text)
                          and unicodedata.is_normalized("NFKC", text)):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        plain = "@" if char in _AT_LIKE else unicodedata.normalize("NFKC", char)
        out.append(plain)
        origin.extend([index] * len(plain))
    return "".join(out), origin


def email_spans(text: str) -> list[Span]:
    """Return spans of e-mail addresses, plain or written to slip past a filter."""
    return [m.span() for pattern in (_EMAIL, _OBFUSCATED_EMAIL) for m in pattern.finditer(text)]


def _looks_personal(handle: str) -> bool:
    """A handle with a digit, an underscore, a dot or a capital inside names someone's own account."""
    inner = handle[1:]
    return any(c.isdigit() or c in "_." or c.isupper() for c in inner)


def handle_spans(text: str) -> list[Span]:
    """Return spans of accounts on social media: @jan_jansen, insta: jan.jansen99, snap @kitty."""
    spans = []
    for m in _HANDLE.finditer(text):
        handle = m.group("handle").rstrip(".")
        platform_before = _PLATFORM_WORD.search(text, max(0, m.start() - CUE_REACH), m.start())
        if _looks_personal(handle) or platform_before:
            spans.append((m.start(), m.start("handle") + len(handle)))
    for m in _NAMED_HANDLE.finditer(text):
        handle = m.group("handle").rstrip(".")
        end = m.start("handle") + len(handle)
        if not any(c.isalpha() for c in handle):
            continue
        if _looks_personal(handle) or "_" in handle[:1] or _LONE.match(text, end):
            spans.append((m.start(), end))
    return spans
