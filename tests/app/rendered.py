"""What an analyst reads from a Markdown source the app wrote: backslash escapes shown as their characters."""

from __future__ import annotations

import re
import string

_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")


def shown(markdown: str) -> str:
    """The text a Markdown renderer shows for `markdown`'s escaped punctuation (the rest is left as is)."""
    return _ESCAPED.sub(r"\1", markdown)
