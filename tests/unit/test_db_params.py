"""Parameters go to the driver as they are, but a batch's rows never become log text.

The driver formats every RUN message for its debug log before the log decides to drop it; a loader's
batch printed in full cost milliseconds of the writer's time per statement.
"""

from __future__ import annotations

import io

from neo4j._codec.packstream.v1 import Packer

from explorer.db import _params
from loaders import queries


def test_list_parameters_print_short_and_stay_lists():
    rows = [[i, f"+86138{i:08d}"] for i in range(10_000)]
    params = _params({"rows": rows, "load_id": "L1"})
    assert len(repr(params)) < 100
    assert isinstance(params["rows"], list) and params["rows"] == rows and params["load_id"] == "L1"
    assert _params(None) == {}


ROWS = [[f"138{i:08d}", "2021-06-03T04:05:06+08:00", 60, i] for i in range(2000)]


def _packed(value: object) -> bytes:
    out = io.BytesIO()
    Packer(out).pack(value)
    return out.getvalue()


def test_a_batch_map_of_rows_prints_short_and_packs_the_same():
    plain = queries.batch_parameters({"rows": ROWS, "froms": ["a", "b"]}, "load-1")
    sent = _params(plain)
    assert len(repr(sent)) < 120 and "<2000 values>" in repr(sent)
    assert _packed(sent) == _packed(plain)


def test_a_list_parameter_prints_short_and_other_values_are_untouched():
    sent = _params({"rows": ROWS, "load_id": "load-1", "limit": 5})
    assert repr(sent["rows"]) == "<2000 values>"
    assert sent["load_id"] == "load-1" and sent["limit"] == 5
    assert _packed(sent) == _packed({"rows": ROWS, "load_id": "load-1", "limit": 5})
