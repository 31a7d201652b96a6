"""Every refusal of the read-only checks has its sentence in each interface language."""

from __future__ import annotations

import pytest

from explorer.exceptions import NotReadOnly
from explorer.i18n import catalogue, text
from explorer.security import WRITE_KEYWORDS, ensure_read_only_text

REFUSED = [
    "MATCH (p) /* open",
    "RETURN 'open",
    "MATCH (`open) RETURN 1",
    "RETURN \\n",
    "",
    "RETURN 1; RETURN 2",
    "EXPLAIN MATCH (n) RETURN n",
    "LOAD CSV FROM 'file:///x' AS row RETURN row",
    "CALL { MATCH (n) RETURN n } IN TRANSACTIONS RETURN 1",
    "USE system SHOW USERS",
    "MATCH (n) SET n.x = 1",
    "SHOW USERS",
    "CALL",
    "CALL 1",
    "CALL dbms.killQuery('x')",
    "RETURN apoc.custom.thing(1)",
]


@pytest.mark.parametrize("cypher", REFUSED)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_refusal_has_a_sentence(cypher, lang):
    with pytest.raises(NotReadOnly) as refused:
        ensure_read_only_text(cypher)
    error = refused.value
    assert error.key in catalogue(lang), (cypher, error.key)
    for value in error.values.values():
        if isinstance(value, str) and value.startswith("@"):
            assert value[1:] in catalogue(lang), value
    if lang == "en":
        values = {k: text(v[1:]) if str(v).startswith("@") else v for k, v in error.values.items()}
        assert text(error.key, "en", **values).rstrip(".") == str(error).rstrip(".")


@pytest.mark.parametrize("word", WRITE_KEYWORDS)
def test_every_write_keyword_has_its_reason_in_chinese(word):
    assert f"refuse.why.{word}" in catalogue("zh")
