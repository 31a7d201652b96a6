"""The drug-slang lexicon that flags posts: a plain text file analysts extend.

Chinese terms match anywhere in the text; English terms match whole words.
Extra lexicon files come from EXPLORER_SLANG_LEXICON (paths separated by ':').
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from loaders.normalise import fold

DEFAULT_LEXICON = Path(__file__).resolve().parent / "lexicon" / "drug_slang.txt"


def read_terms(paths: Iterable[Path]) -> list[str]:
    terms: list[str] = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
            term = fold(line.split("#", 1)[0]).lower()
            if term and term not in terms:
                terms.append(term)
    return terms


def lexicon_paths() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("EXPLORER_SLANG_LEXICON", "").split(":") if p]
    paths = [DEFAULT_LEXICON]
    for p in extra:
        paths.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    return paths


class Lexicon:
    """Finds lexicon terms in a text."""

    def __init__(self, terms: Iterable[str]):
        self.terms = sorted(set(terms), key=len, reverse=True)
        parts = []
        for term in self.terms:
            escaped = re.escape(term)
            # Whole words for Latin terms ("ice" must not flag "police").
            parts.append(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])" if re.search(r"[a-z]", term) else escaped)
        self.pattern = re.compile("|".join(parts)) if parts else None

    def find(self, value: object) -> list[str]:
        """The distinct terms found, in order of first appearance."""
        if self.pattern is None or value is None:
            return []
        found: list[str] = []
        for m in self.pattern.finditer(fold(value).lower()):
            if m.group(0) not in found:
                found.append(m.group(0))
        return found


@lru_cache(maxsize=4)
def _load(paths: tuple[Path, ...]) -> Lexicon:
    return Lexicon(read_terms(paths))


def default_lexicon() -> Lexicon:
    """The built-in lexicon plus any files named by EXPLORER_SLANG_LEXICON."""
    return _load(tuple(lexicon_paths()))
