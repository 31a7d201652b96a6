"""The drug-slang lexicon that flags posts and messages: plain text files analysts extend.

Chinese terms match anywhere in the text; English terms match whole words. A term written with a
leading `~` is ambiguous (冰 is also ice, 糖 is also sugar): it flags a text only when a trade word of
the `@trade` section appears within `@window` characters before or after it. Each flag keeps the
term, the trade words found around it and the lexicon's version (a hash of its files), so a flag
can be explained, and re-checked after the lexicon changes. docs/extraction.md describes the format.
Extra lexicon files come from EXPLORER_SLANG_LEXICON (paths separated by ':'); when two files
disagree on whether a term is ambiguous, the later file wins.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from explorer.exceptions import InvalidMapping
from loaders.normalise import fold

DEFAULT_LEXICON = Path(__file__).resolve().parent / "lexicon" / "drug_slang.txt"
DEFAULT_WINDOW = 8  # characters either side of an ambiguous term searched for trade words


class InvalidLexicon(InvalidMapping):
    """A lexicon file that cannot be read or says something the format does not know; names file and line."""


@dataclass(frozen=True)
class Flag:
    """A lexicon term found in a text, with the trade words found around it."""

    term: str
    context: tuple[str, ...] = ()


@dataclass
class LexiconText:
    """What lexicon files say: terms (ambiguous or not), trade words, the window and a version."""

    terms: dict[str, bool]  # term -> ambiguous
    trade: list[str]
    window: int
    version: str


def _clean(line: str) -> str:
    return fold(line.split("#", 1)[0]).lower()


def read_lexicon(paths: Iterable[Path]) -> LexiconText:
    """Read lexicon files in order; InvalidLexicon names a file that cannot be read, or the line of a bad directive."""
    terms: dict[str, bool] = {}
    trade: list[str] = []
    window = DEFAULT_WINDOW
    digest = hashlib.sha256()
    for path in paths:
        try:
            raw = Path(path).read_bytes()
        except OSError as e:
            raise InvalidLexicon(f"Lexicon {path}: cannot be read: {e.strerror or e}.") from e
        digest.update(raw)
        section = "terms"
        for number, line in enumerate(raw.decode("utf-8-sig").splitlines(), start=1):
            entry = _clean(line)
            if not entry:
                continue
            if entry.startswith("@"):
                directive, _, arg = entry[1:].partition(" ")
                if directive in ("terms", "trade"):
                    section = directive
                elif directive == "window" and arg.strip().isdigit():
                    window = int(arg)
                elif directive != "version":
                    raise InvalidLexicon(
                        f"Lexicon {path}, line {number}: unknown directive {entry!r} (@terms, @trade, @window N)."
                    )
                continue
            if section == "trade":
                if entry not in trade:
                    trade.append(entry)
                continue
            ambiguous = entry.startswith("~")
            term = entry.lstrip("~").strip()
            if term:
                terms.pop(term, None)  # a later file's marking wins
                terms[term] = ambiguous
    return LexiconText(terms, trade, window, digest.hexdigest()[:12])


def lexicon_paths() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("EXPLORER_SLANG_LEXICON", "").split(":") if p]
    paths = [DEFAULT_LEXICON]
    for p in extra:
        paths.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    return paths


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word)
        # Whole words for Latin terms ("ice" must not flag "police").
        parts.append(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])" if re.search(r"[a-z]", word) else escaped)
    return re.compile("|".join(parts)) if parts else None


class Lexicon:
    """Finds lexicon terms in a text; ambiguous ones only with trade words near them."""

    def __init__(self, terms: Iterable[str], ambiguous: Iterable[str] = (), trade: Iterable[str] = (),
                 window: int = DEFAULT_WINDOW, version: str = ""):  # fmt: skip
        self.ambiguous = frozenset(ambiguous)
        self.terms = sorted(set(terms) | self.ambiguous, key=len, reverse=True)
        self.trade = tuple(trade)
        self.window = window
        self.version = version
        self.pattern = _alternation(self.terms)
        self.trade_pattern = _alternation(self.trade)
        # The last text and its flags: a row asks for a text's terms, flag, context and version in turn.
        self._last: tuple[object, list[Flag]] = (None, [])

    @classmethod
    def from_text(cls, text: LexiconText) -> Lexicon:
        ambiguous = [t for t, amb in text.terms.items() if amb]
        plain = [t for t, amb in text.terms.items() if not amb]
        return cls(plain, ambiguous, text.trade, text.window, text.version)

    def _context(self, text: str, start: int, end: int) -> tuple[str, ...]:
        if self.trade_pattern is None:
            return ()
        found: list[str] = []
        for segment in (text[max(0, start - self.window) : start], text[end : end + self.window]):
            for m in self.trade_pattern.finditer(segment):
                if m.group(0) not in found:
                    found.append(m.group(0))
        return tuple(found)

    def flags(self, value: object) -> list[Flag]:
        """The distinct terms that flag the text, in order of first flagging, each with its context words."""
        if self.pattern is None or value is None:
            return []
        last_value, last_flags = self._last
        if value == last_value and type(value) is type(last_value):
            return last_flags
        text = fold(value).lower()
        found: dict[str, list[str]] = {}
        for m in self.pattern.finditer(text):
            term = m.group(0)
            context = self._context(text, m.start(), m.end())
            if term in self.ambiguous and not context:
                continue
            words = found.setdefault(term, [])
            words.extend(w for w in context if w not in words)
        flags = [Flag(term, tuple(words)) for term, words in found.items()]
        self._last = (value, flags)
        return flags

    def find(self, value: object) -> list[str]:
        """The distinct terms that flag the text, in order of first appearance."""
        return [f.term for f in self.flags(value)]


@lru_cache(maxsize=4)
def _load(paths: tuple[Path, ...]) -> Lexicon:
    return Lexicon.from_text(read_lexicon(paths))


def default_lexicon() -> Lexicon:
    """The built-in lexicon plus any files named by EXPLORER_SLANG_LEXICON."""
    return _load(tuple(lexicon_paths()))
