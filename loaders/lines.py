"""Plain-text exports whose records span lines, read by a mapping's `lines` layout: a chat app's .txt
export (QQ's message manager writes a line of time and sender, then the message on the lines below).

A line that the `start` pattern matches from end to end begins a record; the pattern's named groups
are the record's fields, in their order. The lines after it, up to the next such line, are the rest
of the record (a message over several lines): they go to the field `continued_in`, joined by line
breaks, with blank lines at either end left out. The lines before the first record are the title
area, where `from_title` looks (the chat's name in QQ's header). A record is numbered by the line it
starts on, as an editor numbers the file's lines, so each fact leads back to its line.

A file of several conversations (QQ's export of a whole group of friends or chats) heads each with a
block of lines (a rule, the chat's folder, a rule, the chat's name, a rule). With `section`, a line
that pattern matches ends the record before it and begins such a block: the block's non-blank lines,
up to the next record, go to the field `section_in` of every record below it, and none of them is
read as part of a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from explorer.exceptions import FileRejected
from loaders.specs import Layout

# How far into a file its first record is looked for (the title area is a few lines in real exports).
FIRST_RECORD_WITHIN = 1_000


def fields_of(layout: Layout) -> list[str]:
    """The record's fields, its headers: the pattern's named groups, `continued_in` if not one of them,
    then `section_in` when the layout has sections."""
    assert layout.lines is not None
    fields = list(layout.lines.groupindex)
    if layout.continued_in not in fields:
        fields.append(layout.continued_in or "")
    if layout.section_in is not None:
        fields.append(layout.section_in)
    return fields


def title_of(lines: Iterable[str], layout: Layout, name: str) -> list[list[Any]]:
    """The non-blank lines above the first record, each as a row of one cell.

    Raises FileRejected when no line of the first FIRST_RECORD_WITHIN starts a record."""
    assert layout.lines is not None
    title: list[list[Any]] = []
    for number, line in enumerate(lines, start=1):
        text = _bare(line, number)
        if layout.lines.fullmatch(text):
            return title
        if number >= FIRST_RECORD_WITHIN:
            break
        if text.strip():
            title.append([text.strip()])
    raise FileRejected(
        f"{name}: no line in the first {FIRST_RECORD_WITHIN:,} starts a record as the mapping's "
        f"lines.start pattern reads one ({layout.lines.pattern!r})."
    )


def records(lines: Iterable[str], layout: Layout) -> Iterator[tuple[int, list[Any]]]:
    """(the number of the line a record starts on, its fields in `fields_of` order), in file order."""
    start, section = layout.lines, layout.section
    assert start is not None
    fields = fields_of(layout)
    rest_at = fields.index(layout.continued_in or "")
    current: list[Any] | None = None
    current_number = 0
    more: list[str] = []
    heading: list[str] | None = None  # the lines of a section's heading, while it is being read
    section_text = ""
    for number, line in enumerate(lines, start=1):
        text = _bare(line, number)
        m = start.fullmatch(text)
        if m is None:
            if section is not None and section.fullmatch(text):
                if current is not None:  # a new section: the record before it ends here
                    yield current_number, _finished(current, rest_at, more)
                    current, heading = None, [text]
                elif heading is not None:  # a heading's own rules and lines
                    heading.append(text)
                else:
                    heading = [text]
            elif heading is not None:
                if text.strip():
                    heading.append(text)
            elif current is not None:
                more.append(text)
            continue  # a line above the first record and any section is the title area's
        if heading is not None:
            section_text, heading = "\n".join(heading), None
        if current is not None:
            yield current_number, _finished(current, rest_at, more)
        groups = m.groupdict()
        current = [groups.get(f) or "" for f in fields]
        if section is not None:
            current[-1] = section_text
        current_number, more = number, []
    if current is not None:
        yield current_number, _finished(current, rest_at, more)


def _bare(line: str, number: int) -> str:
    """The line without its line break (and, on the first line, a byte-order mark)."""
    text = line.rstrip("\r\n")
    return text.lstrip("\ufeff") if number == 1 else text


def _finished(record: list[Any], rest_at: int, more: list[str]) -> list[Any]:
    while more and not more[-1].strip():
        more.pop()
    first = 0
    while first < len(more) and not more[first].strip():
        first += 1
    if first < len(more):
        rest = "\n".join(more[first:])
        record[rest_at] = f"{record[rest_at]}\n{rest}" if record[rest_at] else rest
    return record
