"""Parameters go to the driver as they are, but a batch's rows never become log text."""

from __future__ import annotations

from explorer.db import _params


def test_list_parameters_print_short_and_stay_lists():
    rows = [[i, f"+86138{i:08d}"] for i in range(10_000)]
    params = _params({"rows": rows, "load_id": "L1"})
    assert len(repr(params)) < 100
    assert isinstance(params["rows"], list) and params["rows"] == rows and params["load_id"] == "L1"
    assert _params(None) == {}
