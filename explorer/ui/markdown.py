"""Text from the data shown through Streamlit calls that render Markdown, as the literal text it is.

`st.markdown`, `st.write`, titles, headers, captions, alerts and widget labels
all read their text as Markdown: a seized name such as
`![x](http://host/beacon.png)` would become an image that the browser fetches,
and `[click](javascript:...)` a link. Every value from the graph, a file, an
error sentence or a user goes through `escape()` (or `tr()`, which escapes the
values put into an interface sentence) before it reaches one of those calls.

Escaping puts a backslash before every ASCII punctuation character, which
CommonMark defines as "show this character" for each of them, and turns line
breaks into spaces, so a value can neither start a block (heading, list,
quote) nor form inline syntax (image, link, emphasis, code, math, HTML).
"""

from __future__ import annotations

import re
import string
from typing import Any

from explorer.ui.i18n import t

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_CODE_SPAN = re.compile(r"`([^`\r\n]+)`")


def escape(value: Any) -> str:
    """`value` as text that Markdown shows literally, on one line."""
    return _PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(value)))


def escape_keeping_code(value: Any) -> str:
    """`value` escaped as `escape` does, except that each `code span` stays one: a description's field and
    parameter names read as code. Nothing inside a code span is read as Markdown, so it needs no escaping."""
    text, parts, last = str(value), [], 0
    for span in _CODE_SPAN.finditer(text):
        parts += [escape(text[last : span.start()]), f"`{span[1]}`"]
        last = span.end()
    return "".join(parts) + escape(text[last:])


def tr(key: str, /, **values: Any) -> str:
    """The interface sentence `key` with every value escaped (the sentence's own Markdown is kept)."""
    return t(key, **{name: escape(value) for name, value in values.items()})


def said(error: Exception) -> str:
    """An error's sentence in the analyst's language when the catalogue has it (refusals do), escaped."""
    key = getattr(error, "key", None)
    if not key:
        return escape(error)
    values = getattr(error, "values", {})
    return escape(t(key, **{k: t(v[1:]) if isinstance(v, str) and v.startswith("@") else v for k, v in values.items()}))
