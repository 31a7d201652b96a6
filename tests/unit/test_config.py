from explorer.config import load_settings


def test_env_file_then_environment_wins(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("NEO4J_URI=neo4j+s://abc.databases.neo4j.io\nNEO4J_PASSWORD=from-file\nNEO4J_DATABASE=cases\n")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD", "from-env")
    s = load_settings(env)
    assert s.uri == "neo4j+s://abc.databases.neo4j.io"
    assert s.database == "cases"
    assert s.password == "from-env"
    assert not s.is_local
    assert "from-env" not in repr(s)


def test_bolt_port_from_uri(tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:7699")
    s = load_settings(tmp_path / "absent.env")
    assert s.bolt_port == 7699 and s.is_local
