"""Any spelling of a loaded phone, card or handle finds its node: the search box and find_identifier.

A small export is loaded with the loader (its cells written the untidy way
exports write them); then generated spellings are searched for on the real
server, and each must reach the node the load made.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import browse, identifiers, watchlist
from explorer.catalog import load_catalog
from explorer.db import Graph
from loaders import api
from tests.identifier_spellings import account_spelling, card_spelling, handle_spelling, phone_spelling

pytestmark = pytest.mark.integration

CALLER, CALLEE = "13912345678", "13800138000"
CARD, OTHER_CARD = "6222021234567890123", "6228481234567890"
HANDLE = "Dealer_01"
SEARCH_RUNS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

FIND_IDENTIFIER = load_catalog()["find_identifier"]
EXPORTS = {
    "calls.csv": ["主叫号码,被叫号码,开始时间,通话时长", "(+86)139-1234-5678,0086 138 0013 8000,2024-05-01 10:00,60"],
    "statement.csv": [
        "账号,户名,对方账号,对方户名,收付标志,交易金额,交易时间",
        "6222-0212-3456-7890-123,张三,6228 4812 3456 7890,李四,支,500,2024-05-01 11:00",
    ],
    "logins.csv": ["platform,handle,ip,imei,at", "WeChat, @Dealer_01 ,113.87.1.10,861234567890123,2024-05-01 12:00"],
}


@pytest.fixture(scope="module")
def loaded(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graph]:
    folder: Path = tmp_path_factory.mktemp("spellings")
    graph.clear()
    graph.apply_schema()
    for name, lines in EXPORTS.items():
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        summary = api.load(graph, path, rejects_dir=folder)
        assert summary.rows_rejected == 0, name
    yield graph


def _node_id(graph: Graph, label: str, key: str, value: str) -> str:
    found = graph.read_value(
        f"MATCH (n:{label}) WHERE n[$key] = $value RETURN elementId(n)", {"key": key, "value": value}
    )
    assert found, f"the load made no {label} {value}"
    return found


def _found(graph: Graph, spelling: str) -> tuple[list[str], list[str]]:
    """Element ids the search box and the find_identifier investigation give for `spelling`."""
    searched = [m.id for m in browse.search(graph, spelling) if m.score >= 1e6]  # exact key hits only
    rows = FIND_IDENTIFIER.run(graph, value=spelling).records
    exact = [r["entity"].element_id for r in rows if r["score"] == 10.0]
    return searched, exact


def test_the_load_stored_the_normalised_keys(loaded):
    assert _node_id(loaded, "Phone", "number", "+86" + CALLER)
    assert _node_id(loaded, "Phone", "number", "+86" + CALLEE)
    assert _node_id(loaded, "Account", "account_id", f"bank:{CARD}")
    assert _node_id(loaded, "Account", "account_id", f"bank:{OTHER_CARD}")
    assert _node_id(loaded, "Account", "account_id", f"wechat:{HANDLE}")


@SEARCH_RUNS
@given(data=st.data())
def test_any_phone_spelling_finds_the_phone(loaded, data):
    national = data.draw(st.sampled_from([CALLER, CALLEE]))
    spelling = data.draw(phone_spelling(national))
    node = _node_id(loaded, "Phone", "number", "+86" + national)
    searched, exact = _found(loaded, spelling)
    assert searched == [node], spelling
    assert exact == [node], spelling
    assert watchlist.normalise("phone", spelling) == "+86" + national


@SEARCH_RUNS
@given(data=st.data())
def test_any_card_spelling_finds_the_account(loaded, data):
    digits = data.draw(st.sampled_from([CARD, OTHER_CARD]))
    spelling = data.draw(card_spelling(digits))
    node = _node_id(loaded, "Account", "account_id", f"bank:{digits}")
    searched, exact = _found(loaded, spelling)
    assert searched == [node], spelling
    assert exact == [node], spelling
    assert watchlist.normalise("account", f"银行卡:{spelling}") == f"bank:{digits}"


@SEARCH_RUNS
@given(data=st.data())
def test_any_handle_or_account_spelling_finds_the_account(loaded, data):
    spelling = data.draw(st.one_of(handle_spelling(HANDLE), account_spelling(HANDLE)))
    node = _node_id(loaded, "Account", "account_id", f"wechat:{HANDLE}")
    searched, exact = _found(loaded, spelling)
    assert searched == [node], spelling
    assert exact == [node], spelling
    assert identifiers.canonical(spelling) in {HANDLE, f"wechat:{HANDLE}"}
