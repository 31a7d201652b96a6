"""Header parsing and parameter coercion of saved investigations (no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from explorer.catalog import (
    catalog_files,
    parse_investigation,
    parse_text,
    used_parameters,
)
from explorer.exceptions import InvalidInvestigation
from explorer.identifiers import canonical
from explorer.params import LOCAL_TZ, ParamError

GOOD = """\
// title: Calls of a phone
// category: Search
// description: Every call of one phone.
// params:
//   - {name: phone, type: identifier, help: The phone, example: "13800138000"}
//   - {name: limit, type: integer, default: 10, help: Maximum rows}
// columns: [call, other]
// draw: {nodes: [other], relationships: [call]}
MATCH (:Phone {number: $phone})-[call:CALLED]-(other)
// a comment with $not_a_param
WHERE other.number <> '$also_not'
RETURN call, other LIMIT $limit
"""


def write(tmp_path: Path, text: str, name: str = "calls.cypher") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_header_parses(tmp_path):
    inv = parse_investigation(write(tmp_path, GOOD))
    assert inv.name == "calls"
    assert inv.title == "Calls of a phone"
    assert [p.name for p in inv.params] == ["phone", "limit"]
    assert inv.params[0].required and not inv.params[1].required
    assert inv.columns == ["call", "other"]
    assert inv.draw.nodes == ("other",) and inv.draw.relationships == ("call",)
    assert inv.example_params() == {"phone": "+8613800138000", "limit": 10}
    assert inv.query.startswith("MATCH")


def test_parameters_in_comments_and_strings_are_ignored():
    assert set(used_parameters(GOOD)) == {"phone", "limit"}


@pytest.mark.parametrize(
    ("edit", "line", "fragment"),
    [
        (("RETURN call, other LIMIT $limit", "RETURN call, other LIMIT $limit + $extra"), 12, "$extra"),
        (("//   - {name: limit, type: integer, default: 10, help: Maximum rows}\n", ""), 11, "$limit"),
        (("MATCH (:Phone {number: $phone})", "MATCH (:Phone {number: '1'})"), 5, "'phone' is declared"),
        (("type: integer", "type: int"), 6, "type 'int'"),
        (("// category: Search\n", "// category: Search\n// colour: red\n"), 3, "unknown header key 'colour'"),
        (("// draw: {nodes: [other], relationships: [call]}", "// draw: {nodes: [others]}"), 8, "'others'"),
        (("default: 10", "default: ten"), 6, "unusable"),
        ((', example: "13800138000"', ""), 5, "needs an 'example'"),
        (("// columns: [call, other]", "// columns: [call, other"), 8, "not valid YAML"),
        (("// title: Calls of a phone\n", ""), 1, "lacks 'title'"),
    ],
)
def test_header_errors_name_file_and_line(tmp_path, edit, line, fragment):
    old, new = edit
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(InvalidInvestigation) as err:
        parse_investigation(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert fragment in message


def test_file_without_header_is_refused(tmp_path):
    path = write(tmp_path, "MATCH (n) RETURN n\n")
    with pytest.raises(InvalidInvestigation, match=r"calls.cypher:1: the file has no header"):
        parse_investigation(path)


def test_coercion_from_strings():
    inv = parse_text(
        GOOD.replace(
            "//   - {name: limit, type: integer, default: 10, help: Maximum rows}\n",
            "//   - {name: limit, type: integer, default: 10, help: Maximum rows}\n"
            "//   - {name: since, type: datetime, default: null}\n"
            "//   - {name: day, type: date, default: null}\n"
            "//   - {name: kinds, type: list, default: []}\n"
            "//   - {name: ids, type: list, items: identifier, default: []}\n"
            "//   - {name: flag, type: boolean, default: false}\n"
            "//   - {name: share, type: float, default: 0.5}\n",
        ).replace(
            "LIMIT $limit",
            "LIMIT $limit + size($kinds) + size($ids) + $share + $since.year + $day.year + toInteger($flag)",
        ),
        "x.cypher",
    )
    bound = inv.bind(
        {
            "phone": "+86 138-0013-8000",
            "limit": "5",
            "since": "2024-05-01T10:00",
            "day": "2024-05-02",
            "kinds": "CALLED, MESSAGED",
            "ids": "13900139000,alipay:x",
            "flag": "yes",
            "share": "0.25",
        }
    )
    assert bound == {
        "phone": "+8613800138000",
        "limit": 5,
        "since": dt.datetime(2024, 5, 1, 10, 0, tzinfo=LOCAL_TZ),
        "day": dt.date(2024, 5, 2),
        "kinds": ["CALLED", "MESSAGED"],
        "ids": ["+8613900139000", "alipay:x"],
        "flag": True,
        "share": 0.25,
    }
    assert inv.bind({"phone": "13800138000"})["kinds"] == []

    with pytest.raises(ParamError, match=r"\$limit: 'many' is not a whole number"):
        inv.bind({"phone": "1", "limit": "many"})
    with pytest.raises(ParamError, match=r"\$phone is required"):
        inv.bind({})
    with pytest.raises(ParamError, match="has no parameter colour"):
        inv.bind({"phone": "1", "colour": "red"})
    with pytest.raises(ParamError, match="is not a date and time"):
        inv.bind({"phone": "1", "since": "yesterday"})


def test_blank_text_means_not_given_for_every_type():
    inv = parse_text(
        GOOD.replace(
            "//   - {name: limit, type: integer, default: 10, help: Maximum rows}\n",
            "//   - {name: limit, type: integer, default: 10, help: Maximum rows}\n"
            '//   - {name: case_id, type: string, default: null, help: "empty: all cases"}\n'
            "//   - {name: label, type: string, default: unknown}\n",
        ).replace("LIMIT $limit", "LIMIT $limit + size(coalesce($case_id, $label))"),
        "x.cypher",
    )
    bound = inv.bind({"phone": "13800138000", "case_id": "  ", "label": "", "limit": ""})
    assert (bound["case_id"], bound["label"], bound["limit"]) == (None, "unknown", 10)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("(010) 6552-9988", "+861065529988"),
        ("８６１３８００１３８０００", "+8613800138000"),  # full-width digits
        ("+1 650-253-0000", "+16502530000"),
        ("SF1234567890", "SF1234567890"),
        ("6222 0212 3456 7890 123", "6222021234567890123"),  # a card as bank statements key it
        ("6222-0212-3456-7890-123", "6222021234567890123"),
        ("  alipay:seller  01 ", "alipay:seller01"),  # an account as the loaders key it
        ("支付宝：seller01", "alipay:seller01"),
        ("(+86)139-1234-5678", "+8613912345678"),
        ("@dealer_01 ", "dealer_01"),
        ("11010519491231002x", "11010519491231002X"),
        ("张三", "张三"),
        ("张 三", "张三"),
        ("0086 138 0013 8000", "+8613800138000"),
    ],
)
def test_identifier_normalisation(raw, expected):
    assert canonical(raw) == expected
    assert parse_text(GOOD).bind({"phone": raw})["phone"] == expected  # what an `identifier` parameter gets


def test_every_catalog_file_parses():
    files = catalog_files()
    assert len(files) >= 15
    for path in files:
        inv = parse_investigation(path)
        assert inv.example_params() is not None
        assert set(inv.draw.columns) <= set(inv.columns)


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        (GOOD.replace("// columns:", "// title: Person profile\n// columns:", 1), "title", 7),
        (GOOD.replace("// draw:", "// category: Search\n// draw:", 1), "category", 8),
        (
            GOOD.replace("// columns:", "// heavy: false\n// heavy: true\n// columns:", 1),
            "heavy",
            8,
        ),
        (
            GOOD.replace("// draw: {nodes: [other], ", "// draw: {nodes: [other], nodes: [call], ", 1),
            "draw.nodes",
            8,
        ),
    ],
)
def test_duplicate_header_keys_are_an_error(text, key, line):
    """YAML keeps the last of two equal keys; the catalog refuses the file instead (issue 22, row 12)."""
    with pytest.raises(InvalidInvestigation, match=rf"^calls.cypher:{line}: the header gives '{key}' twice"):
        parse_text(text, "calls.cypher")
