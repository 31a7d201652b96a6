"""The one piece of Streamlit internals the app relies on: the legacy pages-folder flag.

explorer.ui.router clears `PagesManager.uses_pages_directory` so that a page
run outside the router reruns through app.py. These tests fail when Streamlit
renames the flag or stops using it to choose the legacy navigation.
"""

import inspect

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner


@pytest.fixture
def restore_flag():
    before = PagesManager.uses_pages_directory
    yield
    PagesManager.uses_pages_directory = before


def test_flag_is_a_class_attribute():
    assert "uses_pages_directory" in vars(PagesManager)


@pytest.mark.parametrize("has_pages_folder", [True, False])
def test_flag_says_whether_a_pages_folder_sits_beside_the_entrypoint(tmp_path, restore_flag, has_pages_folder):
    entrypoint = tmp_path / "app.py"
    entrypoint.write_text("")
    if has_pages_folder:
        (tmp_path / "pages").mkdir()
    PagesManager.uses_pages_directory = None
    PagesManager(str(entrypoint), setup_watcher=False)
    assert PagesManager.uses_pages_directory is has_pages_folder


def test_navigation_clears_the_flag(restore_flag):
    PagesManager.uses_pages_directory = True
    st.navigation([st.Page(lambda: None, title="only")])
    assert PagesManager.uses_pages_directory is False


def test_script_runner_picks_the_legacy_navigation_by_the_flag():
    source = inspect.getsource(script_runner.ScriptRunner)
    assert "if PagesManager.uses_pages_directory:" in source
    assert "_mpa_v1(" in source
