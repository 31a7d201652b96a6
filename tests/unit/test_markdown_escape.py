"""Text from the data reaches Markdown-rendering calls as literal text (issue 22, row 9)."""

from __future__ import annotations

import re
import string

import pytest

from explorer.ui.markdown import escape, escape_keeping_code

HOSTILE = [
    "![x](http://host/beacon.png)",
    "[click](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "# heading\n\n- list",
    "**bold** _it_ `code` ~~gone~~ $x^2$",
    "<http://host/auto>",
    "&lt;b&gt; &#33;",
    "| a | b |\n|---|---|",
    "> quote",
    "\\![x](http://host/beacon.png)",
    ":red[text] :material/warning:",
]


ESCAPED_PAIR = re.compile(r"\\[" + re.escape(string.punctuation) + "]")


@pytest.mark.parametrize("text", HOSTILE)
def test_every_markdown_character_is_escaped_and_the_text_kept(text):
    """CommonMark shows a backslash-escaped ASCII punctuation character as itself, so with every one
    escaped and no line break left, nothing can form an image, a link, HTML, emphasis or a block."""
    escaped = escape(text)
    rest = ESCAPED_PAIR.sub("", escaped)
    assert not set(rest) & set(string.punctuation), rest
    assert "\n" not in escaped and "\r" not in escaped
    assert ESCAPED_PAIR.sub(lambda m: m.group(0)[1], escaped) == re.sub(r"[\r\n]+", " ", text)


def test_plain_words_and_chinese_stay_readable():
    assert escape("Wang Wei 老王") == "Wang Wei 老王"
    assert escape(3) == "3"


@pytest.mark.parametrize("text", HOSTILE)
def test_a_description_keeps_its_code_spans_and_escapes_everything_else(text):
    """Outside its code spans a description is escaped as any text from the data; a code span is shown as code,
    inside which Markdown reads nothing (no link, image or HTML)."""
    said = escape_keeping_code(f"Fill in `since` to see newer hits {text}")
    assert said.startswith("Fill in `since` to see newer hits ")
    outside = re.sub(r"`[^`\n]+`", "", said)
    assert not set(ESCAPED_PAIR.sub("", outside)) & set(string.punctuation), outside
    assert "\n" not in said
