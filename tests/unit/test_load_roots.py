"""The Load page reads server folders only inside the load roots, symbolic links resolved (issue 22, row 13)."""

from __future__ import annotations

import os

import pytest

from explorer.config import PROJECT_ROOT, load_settings
from explorer.exceptions import FileRejected
from explorer.uploads import folder_files, server_folder

SUFFIXES = frozenset({".csv", ".txt"})


@pytest.fixture
def roots(tmp_path, monkeypatch):
    inside, other = tmp_path / "cases", tmp_path / "cases2"
    for folder in (inside, other):
        (folder / "bank").mkdir(parents=True)
    (inside / "bank" / "statement.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("EXPLORER_LOAD_ROOTS", os.pathsep.join([str(inside), str(other)]))
    return inside, other, tmp_path


def test_default_roots_are_the_uploads_folder_and_demo_data(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("EXPLORER_LOAD_ROOTS", raising=False)
    assert load_settings().server_folders == (tmp_path / "uploads", PROJECT_ROOT / "demo-data")


def test_folders_inside_a_root_are_read(roots):
    inside, other, _ = roots
    assert server_folder(str(inside)) == inside.resolve()
    assert server_folder(str(other / "bank")) == (other / "bank").resolve()
    assert server_folder("bank") == (inside / "bank").resolve()  # relative: inside the first root
    assert folder_files(inside, SUFFIXES) == [inside / "bank" / "statement.csv"]


@pytest.mark.parametrize("typed", ["/etc", "/", "..", "bank/../..", "~"])
def test_folders_outside_the_roots_are_refused(roots, typed):
    with pytest.raises(FileRejected, match="is outside the folders the Load page may read"):
        server_folder(typed)


def test_a_symlink_out_of_a_root_is_refused_and_its_target_never_named(roots):
    inside, _, tmp_path = roots
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd.csv").write_text("root,x\n", encoding="utf-8")
    (inside / "escape").symlink_to(secret, target_is_directory=True)
    with pytest.raises(FileRejected) as refused:
        server_folder(str(inside / "escape"))
    assert str(secret) not in str(refused.value)


def test_symlinked_files_leading_out_are_left_out_of_the_listing(roots):
    inside, _, _ = roots
    (inside / "passwd.csv").symlink_to("/etc/passwd")
    (inside / "hosts.txt").symlink_to("/etc/hosts")
    (inside / "same.csv").symlink_to(inside / "bank" / "statement.csv")
    assert folder_files(inside, SUFFIXES) == [inside / "bank" / "statement.csv", inside / "same.csv"]


def test_a_missing_folder_inside_a_root_says_so(roots):
    inside, _, _ = roots
    with pytest.raises(FileRejected, match="is not a folder on the server"):
        server_folder(str(inside / "nothing"))
