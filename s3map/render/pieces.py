"""A rendered piece of the page and the key that says whether the browser already shows it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable


def digest(value) -> str:
    """A short fingerprint of what a piece shows: the browser's store keeps these, not the keys."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


@dataclass(frozen=True)
class Piece:
    """`build(state, year, dataset)` -> the output's value. `reads`: the state fields it depends on
    (`year`: the year shown, the opening year when the URL names none). `key(state, year)` narrows
    that when a field matters only sometimes (the indicator matters to the panel on the compare tab).
    `target`: the (component id, property) the output is written to."""
    output: str
    reads: tuple[str, ...]
    build: Callable[..., Any]
    key: Callable[..., Any] | None = None
    target: tuple[str, str] | None = None

    def key_for(self, state, year) -> str:
        if self.key is not None:
            return digest(self.key(state, year))
        return digest([year if name == "year" else getattr(state, name) for name in self.reads])
