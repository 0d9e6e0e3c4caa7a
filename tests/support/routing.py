"""Werkzeug compiles a small Python function per URL rule (one to build the URL, one that also appends unknown
arguments), with `ast` and `compile`, for every new app. A test run makes hundreds of apps with the same ~70 rules,
and this compiling took most of the time of making an app. The function only depends on the rule's parts and
defaults (it reaches the converters through the rule at call time), so one compiled function per rule and kind
serves every app. Tests only: production makes its app once."""
from __future__ import annotations

from werkzeug.routing.rules import Rule

_compiled: dict[tuple, object] = {}
_compile_builder = Rule._compile_builder


def _shared_builder(self: Rule, append_unknown: bool = True):
    key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
    if key not in _compiled:
        _compiled[key] = _compile_builder(self, append_unknown)
    return _compiled[key]


def share_rule_builders() -> None:
    Rule._compile_builder = _shared_builder
