"""What must never reach a person: internal ids, `None`, command-line flags."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from movement_screen import kinematics, movements, rules
from movement_screen.core import Movement


def internal_names() -> set[str]:
    """Movement, metric, angle column, rule and cue ids (those in snake_case)."""
    names = set(kinematics.COLUMNS) | {m.value for m in Movement}
    for movement in Movement:
        names |= movements.get(movement).metric_names()
        protocol = rules.load(rules.default_path(movement))
        names |= {r.id for r in protocol.rules} | set(protocol.cues)
    return {n for n in names if "_" in n}


def leaks(text: str) -> list[str]:
    """Internal ids, a `None`, or a command-line flag found in `text` (shown words)."""
    found = [n for n in internal_names() if re.search(rf"\b{re.escape(n)}\b", text)]
    found += re.findall(r"\bNone\b", text)
    found += re.findall(r"(?<![\w-])--[a-z][a-z-]+", text)
    return found


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        self.parts.extend(v for k, v in attrs if k in ("alt", "title") and v)

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The words a reader of the page sees (text and image descriptions, no markup)."""
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)
