"""An upload's destination is one plain file inside its content-hash folder, whatever the browser names it."""

import pytest

from explorer.uploads import safe_file_name, upload_destination


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("..", "upload"),
        (".", "upload"),
        ("", "upload"),
        ("...", "upload"),
        ("../../etc/passwd", "passwd"),
        ("a/../..", "upload"),
        ("C:\\fakepath\\calls.csv", "calls.csv"),
        ("..\\..\\calls.xlsx", "calls.xlsx"),
        (".csv", "upload.csv"),
        ("calls\x00.csv\n", "calls.csv"),
        ("通话记录.xlsx", "通话记录.xlsx"),
        ("x" * 500 + ".csv", "x" * 196 + ".csv"),
    ],
)
def test_safe_file_name(name, safe):
    assert safe_file_name(name) == safe


@pytest.mark.parametrize("name", ["..", ".", "../x.csv", "a/../../..", "C:\\..\\..", "/etc/passwd"])
def test_destination_stays_inside_its_folder(var_dir, name):
    path = upload_destination(name, b"phone\n138\n")
    folder = var_dir / "uploads" / path.parent.name
    assert path.parent == folder and len(folder.name) == 16
    assert path.resolve().parent == folder.resolve()
    assert path.name not in {"", ".", ".."}
