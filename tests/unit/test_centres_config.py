"""The centres file: the example loads, and each mistake is one sentence naming file, entry and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.centres.config import CentresError, centre_named, load_centres
from explorer.config import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "docs" / "examples" / "centres" / "centres.yaml"

GOOD = """
centres:
  - name: guangdong
    role: provincial
    uri: neo4j://127.0.0.1:7811
    username_env: GD_USER
    password_env: GD_PASSWORD
    service: {address: "127.0.0.1:8811", token_env: GD_TOKEN, detail_token_env: GD_DETAIL}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "centres.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_loads() -> None:
    centres = load_centres(EXAMPLE)
    assert [c.role for c in centres.values()].count("national") == 1
    assert all(c.service is not None and c.service.host == "127.0.0.1" for c in centres.values())


def test_credentials_come_from_the_named_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    centre = load_centres(write(tmp_path, GOOD))["guangdong"]
    monkeypatch.setenv("GD_USER", "reader")
    monkeypatch.setenv("GD_PASSWORD", "s3cret-value")
    settings = centre.settings()
    assert (settings.uri, settings.username, settings.password) == ("neo4j://127.0.0.1:7811", "reader", "s3cret-value")
    monkeypatch.delenv("GD_PASSWORD")
    with pytest.raises(CentresError, match="GD_PASSWORD .*is not set"):
        centre.settings()


def test_the_setting_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_CENTRES", str(write(tmp_path, GOOD)))
    assert centre_named("guangdong").service.port == 8811
    with pytest.raises(CentresError, match="no centre named 'yunnan'"):
        centre_named("yunnan")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("role: provincial", "role: county"), "role 'county' is not one of national, provincial"),
        (("GD_PASSWORD", "hunter2 secret"), "must name an environment variable"),
        (("neo4j://127.0.0.1:7811", "http://x"), "is not a Neo4j URI"),
        (('"127.0.0.1:8811"', '"127.0.0.1"'), "needs a port"),
        (("    role: provincial\n", "    role: provincial\n    colour: red\n"), "unknown key 'colour'"),
        (("name: guangdong", "name: Guang Dong"), "lower-case letters"),
    ],
)
def test_a_bad_entry_is_named_with_its_reason(tmp_path: Path, change: tuple[str, str], reason: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(CentresError) as caught:
        load_centres(path)
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)


def test_missing_file_and_duplicates(tmp_path: Path) -> None:
    with pytest.raises(CentresError, match="no centres file here"):
        load_centres(tmp_path / "absent.yaml")
    twice = GOOD + GOOD.split("centres:\n", 1)[1].replace("8811", "8812")
    with pytest.raises(CentresError, match="entry 2: the name 'guangdong' is used by an earlier entry"):
        load_centres(write(tmp_path, twice))
    with pytest.raises(CentresError, match="needs a `centres:` list"):
        load_centres(write(tmp_path, "centres: []\n"))


def test_the_command_line_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from explorer.centres.__main__ import main

    path = write(tmp_path, GOOD)
    monkeypatch.delenv("EXPLORER_LINKAGE_KEY", raising=False)
    assert main(["--centres", str(path), "index", "--centre", "guangdong", "--out", str(tmp_path / "x.index")]) == 2
    assert "EXPLORER_LINKAGE_KEY" in capsys.readouterr().err
    assert main(["--centres", str(path), "index", "--centre", "hebei", "--out", str(tmp_path / "x.index")]) == 2
    assert "no centre named 'hebei'" in capsys.readouterr().err
    (tmp_path / "bad.index").write_text('{"format": "something else"}\n', encoding="utf-8")
    assert main(["match", str(tmp_path / "bad.index"), str(tmp_path / "bad.index")]) == 2
    assert "bad.index: line 1: not a linkage index" in capsys.readouterr().err
    assert not (tmp_path / "x.index").exists()
