"""Interface text: one JSON catalogue per language, looked up by key.

Pages never hold interface text themselves; they call `text(key, lang)`
(through `explorer.ui.i18n.t`). A missing key falls back to English, then to
the key itself, so a gap shows up on screen instead of as an exception.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
_DIR = Path(__file__).resolve().parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The whole catalogue of one language (key -> text)."""
    if lang not in LANGUAGES:
        raise KeyError(f"Unknown interface language {lang!r}; choose one of {', '.join(LANGUAGES)}.")
    return json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def text(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    template = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return template.format(**values) if values else template
