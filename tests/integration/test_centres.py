"""Three centres, each its own Neo4j server: index, match, serve, against a three-province scenario.

The servers (512 MB heap, 128 MB page cache) are started once for this module on ports of its
own and stopped after. One province's data is loaded into each; the national centre is reached
through a `neo4j://` routing URI. The planted cross-centre case links must be found with precision
and recall of at least 0.95, typos and pinyin spellings included, and no raw identifier, name or
case number may appear in any index file.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from devtools import local_neo4j as server
from devtools.scenario import generate
from devtools.scenario.provinces import score
from explorer import audit, auth
from explorer.centres.__main__ import main as centres_main
from explorer.centres.config import CentresError, load_centres
from explorer.centres.index import read_index
from explorer.centres.linkage import LinkageKey, case_ref, hash_typed, romanised
from explorer.centres.match import cross_links, match
from explorer.centres.service import ACTION, ask_detail, ask_hits
from explorer.config import PROJECT_ROOT, load_settings
from explorer.db import Graph
from explorer.i18n import text
from explorer.model import schema_statements
from loaders.api import load_dir
from tests.browser.conftest import serve, stop
from tests.conftest import missing

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.app]

# centre -> (province folder of the scenario, Bolt port, HTTP port, service port, URI scheme)
CENTRES = {
    "national": ("p1", 7801, 7802, 8801, "neo4j"),
    "guangdong": ("p2", 7811, 7812, 8811, "bolt"),
    "yunnan": ("p3", 7821, 7822, 8821, "bolt"),
}
SCALE = 15_000  # 60 rings: about 100 cross-centre case links
SEED = 11
KEY = "the centres' shared linkage key, test only"
CONSTRAINTS = [s for s in schema_statements() if s.startswith("CREATE CONSTRAINT")]


def _busy(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclasses.dataclass
class World:
    root: Path
    centres_file: Path
    truth: dict[str, Any]
    indexes: dict[str, Path]
    graphs: dict[str, Graph]
    env: dict[str, str]


def _settings(bolt: int, http: int, scheme: str = "bolt"):
    base = load_settings()
    return dataclasses.replace(base, uri=f"{scheme}://127.0.0.1:{bolt}", http_port=http, heap="512m", pagecache="128m")


def _centres_yaml() -> str:
    lines = ["centres:"]
    for name, (_, bolt, _, service, scheme) in CENTRES.items():
        upper = name.upper()
        lines += [
            f"  - name: {name}",
            f"    role: {'national' if name == 'national' else 'provincial'}",
            f"    uri: {scheme}://127.0.0.1:{bolt}",
            "    database: neo4j",
            "    username_env: CENTRES_TEST_USER",
            "    password_env: CENTRES_TEST_PASSWORD",
            "    service:",
            f"      address: 127.0.0.1:{service}",
            f"      token_env: CENTRE_{upper}_TOKEN",
            f"      detail_token_env: CENTRE_{upper}_DETAIL_TOKEN",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    ports = [p for _, bolt, http, service, _ in CENTRES.values() for p in (bolt, http, service)]
    if any(_busy(p) for p in ports):
        missing(f"a port of the three test centres ({', '.join(map(str, ports))}) is in use")
    base = load_settings()
    env = {
        "CENTRES_TEST_USER": base.username,
        "CENTRES_TEST_PASSWORD": base.password,
        "EXPLORER_LINKAGE_KEY": KEY,
    }
    for name in CENTRES:
        env[f"CENTRE_{name.upper()}_TOKEN"] = f"hit-token-of-{name}-0123456789"
        env[f"CENTRE_{name.upper()}_DETAIL_TOKEN"] = f"detail-token-of-{name}-0123456789"
    root = tmp_path_factory.mktemp("centres")
    every = [_settings(bolt, http) for _, bolt, http, _, _ in CENTRES.values()]
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        mp.setenv("EXPLORER_VAR_DIR", str(root / "app-var"))
        mp.setenv("EXPLORER_CENTRES", str(root / "centres.yaml"))
        (root / "centres.yaml").write_text(_centres_yaml(), encoding="utf-8")
        truth = generate(SCALE, SEED, root / "scenario", provinces=3)
        graphs: dict[str, Graph] = {}
        indexes = {name: root / f"{name}.index" for name in CENTRES}

        def prepare(name: str) -> None:
            """Start one centre's server, load its province, write its index (the three run side by side)."""
            province, bolt, http, _, scheme = CENTRES[name]
            server.start(_settings(bolt, http))
            graph = graphs[name] = Graph.connect(_settings(bolt, http, scheme))
            graph.clear()
            graph.apply_schema(CONSTRAINTS)  # the keys loads MERGE on; the search indexes are not needed here
            done = load_dir(graph, root / "scenario" / province, rejects_dir=root / "rejects")
            assert sum(s.rows_rejected for s in done.loaded) == 0
            assert centres_main(["index", "--centre", name, "--out", str(indexes[name])]) == 0

        try:
            with ThreadPoolExecutor(len(CENTRES)) as pool:
                list(pool.map(prepare, CENTRES))
            yield World(root, root / "centres.yaml", truth, indexes, graphs, env)
        finally:
            for graph in graphs.values():
                graph.close()

            def stop(settings) -> None:
                server.stop(settings)
                shutil.rmtree(server.LocalServer(settings).home, ignore_errors=True)

            with ThreadPoolExecutor(len(every)) as pool:
                list(pool.map(stop, every))


def _raw_values(graph: Graph) -> set[str]:
    """Every identifier, name and case number of a centre's graph, in the spellings an index could leak."""
    rows = graph.read(
        "MATCH (n) WHERE n:Person OR n:Phone OR n:Account OR n:Address OR n:Case "
        "RETURN [v IN [n.name, n.id_number, n.number, n.account_id, n.handle, n.address_id, n.text, n.case_id, "
        "n.title] WHERE v IS NOT NULL | toString(v)] AS values",
        checked=True,
    ).rows()
    values = {v for row in rows for v in row["values"]}
    values |= {v.removeprefix("+86") for v in values if v.startswith("+86")}  # phones as written nationally
    values |= {v.split(":", 1)[1] for v in values if ":" in v}  # handles without their platform
    names = graph.read("MATCH (p:Person) RETURN collect(DISTINCT p.name) AS names", checked=True).records[0][0]
    values |= {pinyin for pinyin in map(romanised, names) if len(pinyin) >= 6}  # names in pinyin
    return {v for v in values if len(v.encode("utf-8")) >= 5}


def test_no_raw_value_is_in_any_index(world: World) -> None:
    for name, path in world.indexes.items():
        data = path.read_bytes()
        raw = _raw_values(world.graphs[name])
        assert len(raw) > 500
        # The file is ASCII: a value with any other character cannot be in it; the rest are searched.
        assert data.isascii()
        leaked = sorted(v for v in raw if v.isascii() and v.encode() in data)
        assert not leaked, f"{name}'s index holds raw values: {leaked[:5]}"
        assert KEY.encode() not in data


def test_matching_finds_the_planted_cross_centre_links(world: World) -> None:
    key = LinkageKey.from_secret(KEY)
    province_centre = {province: name for name, (province, *_rest) in CENTRES.items()}

    def ref(province: str, case: str) -> tuple[str, str]:
        """A province's case as the indexes refer to it: its centre and its keyed reference."""
        return province_centre[province], case_ref(key, province_centre[province], case)

    result = match([read_index(p) for p in world.indexes.values()])
    found = cross_links(result)
    scores = score(world.truth, found, ref)
    assert scores["expected"] >= 80
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.95, scores
    # The links resting on a misspelled name alone are found too (all but one or two of about thirty):
    # the planted row's case and its ring's case in the province the person came from.
    name_only = [p for p in world.truth["planted"] if p["mode"] == "name"]
    reached = [
        p
        for p in name_only
        for home in world.truth["cases"][p["from"]]
        if home[:-1] == p["case"][:-1] and frozenset((ref(p["to"], p["case"]), ref(p["from"], home))) in found
    ]
    assert len(name_only) >= 20 and len(reached) >= 0.9 * len(name_only), (len(reached), len(name_only))
    # Blocking by birth year: far fewer pairs compared than all of them.
    assert result.compared_pairs < result.all_pairs / 10
    # Links resting on more identifiers rank first.
    strengths = [link.strength for link in result.links]
    assert strengths == sorted(strengths, reverse=True) and strengths[0] >= 2


def test_match_command_prints_a_table_and_json(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in world.indexes.values()]
    assert centres_main(["match", *paths, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["centres"] == list(CENTRES) and out["case_links"] and out["identifier_hits"]
    assert centres_main(["match", *paths, "--limit", "5"]) == 0
    table = capsys.readouterr().out
    assert "Cross-centre case links:" in table and "more (--limit" in table
    assert centres_main(["match", paths[0]]) == 2
    assert "at least two centres" in capsys.readouterr().err


def test_an_index_of_another_key_is_refused(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_LINKAGE_KEY", "a different key after rotation")
    other = tmp_path / "rotated.index"
    assert centres_main(["index", "--centre", "yunnan", "--out", str(other)]) == 0
    with pytest.raises(CentresError, match="different linkage keys"):
        match([read_index(world.indexes["national"]), read_index(other)])


def _serve(world: World, name: str, var_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "EXPLORER_VAR_DIR": str(var_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer.centres", "serve", "--centre", name],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""  # the service says when it answers
    assert "answers on http://127.0.0.1:" in line, line
    return proc


@pytest.fixture(scope="module")
def services(world: World) -> Iterator[dict[str, Path]]:
    """The guangdong and yunnan centres' services, each auditing into its own var folder."""
    var_dirs = {name: world.root / f"{name}-var" for name in ("guangdong", "yunnan")}
    procs = [_serve(world, name, var_dir) for name, var_dir in var_dirs.items()]
    yield var_dirs
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=30)


def _audit_entries(var_dir: Path) -> list[audit.Entry]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPLORER_VAR_DIR", str(var_dir))
        return audit.query(action=ACTION)


def test_live_hit_no_hit_and_details_are_audited_on_both_sides(
    world: World, services: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPLORER_USER", "probe")
    yunnan = load_centres()["yunnan"]
    key = LinkageKey.from_secret(KEY)
    # A phone the yunnan centre holds, taken from its own graph, and one nobody holds.
    phone = world.graphs["yunnan"].read_value(
        "MATCH (:Case)-[:INVOLVES]->(:Person)-[:HAS_PHONE]->(p:Phone) RETURN p.number LIMIT 1"
    )
    held, absent = hash_typed(key, phone, "phone"), hash_typed(key, "+8613000000001", "phone")
    assert ask_hits(yunnan, [held, absent], requester="national") == {held: True, absent: False}
    detail = ask_detail(yunnan, held, requester="national")
    assert detail["identifier"] == phone and detail["cases"] and detail["holders"][0]["name"]
    # The hit-only token gets no details; no token gets nothing.
    for token, status in ((world.env["CENTRE_YUNNAN_TOKEN"], 403), ("wrong", 401)):
        request = urllib.request.Request(
            yunnan.service.url + "/detail",
            data=json.dumps({"hash": held, "requester": "guangdong", "user": "probe"}).encode(),
            headers={"Authorization": f"Bearer {token}"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == status
    served = [e for e in _audit_entries(services["yunnan"]) if e.user.endswith("/probe")]
    outcomes = sorted((e.user, e.what, e.outcome) for e in served)
    assert outcomes == [
        ("guangdong/probe", "detail at yunnan", "denied"),
        ("guangdong/probe", "detail at yunnan", "denied"),
        ("national/probe", "detail at yunnan", "ok"),
        ("national/probe", "hits at yunnan", "ok"),
    ]
    asked = [e for e in _audit_entries(world.root / "app-var") if e.user == "probe"]
    assert sorted(e.what for e in asked) == ["detail asked of yunnan", "hits asked of yunnan"]


def test_lookup_command_asks_every_other_centre(
    world: World, services: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    phone = world.graphs["guangdong"].read_value("MATCH (p:Phone) RETURN p.number ORDER BY p.number LIMIT 1")
    assert centres_main(["lookup", phone, "--as", "national"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "guangdong: hit" in lines and len(lines) == 2


def _centres_page(world: World, monkeypatch: pytest.MonkeyPatch, **state: Any) -> AppTest:
    """The app as the national centre's analysts run it: its own graph through a neo4j:// URI."""
    _, bolt, http, _, scheme = CENTRES["national"]
    monkeypatch.setenv("NEO4J_URI", f"{scheme}://127.0.0.1:{bolt}")
    monkeypatch.setenv("NEO4J_HTTP_PORT", str(http))
    monkeypatch.setenv("EXPLORER_CENTRE", "national")
    monkeypatch.setenv("EXPLORER_CENTRE_INDEXES", str(world.root))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    at.switch_page("pages/centres.py")
    return at.run()


def test_centres_page_shows_links_and_fetches_details(
    world: World, services: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _centres_page(world, monkeypatch)
    assert not at.exception and not at.error, [e.value for e in at.exception or at.error]
    assert at.title[0].value == text("page.centres")
    assert int(at.metric[3].value) == len(match([read_index(p) for p in world.indexes.values()]).links)
    shown = at.dataframe[0].value
    national_cases = set(world.truth["cases"]["p1"])
    cases = shown[text("col.case_a")].tolist() + shown[text("col.case_b")].tolist()  # headers read as shown
    assert any(case in national_cases for case in cases)
    at.button(key="centres_request").click().run()
    assert not at.exception and not at.error, [e.value for e in at.exception or at.error]
    assert any("sent the" in m.value for m in at.markdown)
    assert "detail asked of" in " ".join(e.what for e in _audit_entries(world.root / "app-var"))


def test_centres_page_keeps_details_from_viewers(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    auth.add_user("vic", "viewer", "correct horse battery")
    at = _centres_page(world, monkeypatch, auth_user="vic")
    assert not at.exception and not at.error
    assert at.dataframe and text("centres.detail_analysts") in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key == "centres_request"]


@pytest.mark.browser
def test_centres_page_in_a_browser_shows_the_cross_centre_links_and_a_hit_in_detail(
    world: World,
    services: dict[str, Path],
    page: Any,  # noqa: F811 - the fixture imported above
) -> None:
    _, bolt, http, _, scheme = CENTRES["national"]
    process, url = serve(
        {
            "NEO4J_URI": f"{scheme}://127.0.0.1:{bolt}",
            "NEO4J_HTTP_PORT": str(http),
            "EXPLORER_CENTRE": "national",
            "EXPLORER_CENTRE_INDEXES": str(world.root),
        }
    )
    links = len(match([read_index(p) for p in world.indexes.values()]).links)
    try:
        page.set_default_timeout(90_000)  # the browser tests' own page: one browser for the suite
        page.goto(url + "/centres")
        page.get_by_text(text("page.centres"), exact=True).first.wait_for()
        metrics = page.locator("[data-testid='stMetricValue']")
        metrics.nth(3).wait_for()
        assert metrics.nth(3).inner_text().replace(",", "") == str(links)
        page.locator("[data-testid='stDataFrame']").first.wait_for()
        page.get_by_role("button", name=re.compile(text("centres.request", centre="X").split("X")[0].strip())).click()
        page.get_by_text("sent the").first.wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        stop(process)
