"""Commit subjects say one change in 72 characters or fewer (CONTRIBUTING.md).

Checked on every commit since the rule was written down; older history is left as it is.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from explorer.config import PROJECT_ROOT

RULE_SINCE = "b892e3c"  # the last commit written before the rule
MAX_SUBJECT = 72


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout


def _subjects_since_rule() -> list[str]:
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    try:
        _git("cat-file", "-e", f"{RULE_SINCE}^{{commit}}")
    except subprocess.CalledProcessError:
        pytest.skip("a shallow clone without the commit the rule starts from")
    return _git("log", "--format=%s", f"{RULE_SINCE}..HEAD").splitlines()


def test_commit_subjects_are_short():
    long = [s for s in _subjects_since_rule() if len(s) > MAX_SUBJECT]
    assert not long, f"commit subjects over {MAX_SUBJECT} characters: {long}"


def test_commit_subjects_say_one_change():
    bundled = [s for s in _subjects_since_rule() if ";" in s]
    assert not bundled, f"commit subjects that bundle changes with ';': {bundled}"
