"""Mappings analysts add from the Load page, for exports in layouts no built-in mapping reads.

An uploaded YAML file is checked exactly as every mapping is (`loaders.mapping`: the model's labels, keys
and types, the normalisers, the layout options), and only a mapping that passes is kept, under its own
name, in `EXPLORER_VAR_DIR/mappings/`. That folder is one of the folders every load, `load-dir` and
auto-detection read (`loaders.mapping.mapping_dirs`), so the mapping serves the next export of the same
layout too. A saved mapping may not take a built-in mapping's name: a load's `mapping` then always
means the same thing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from explorer import audit, auth
from explorer.auth import User
from explorer.config import load_settings
from explorer.exceptions import InvalidMapping
from loaders.mapping import BUILTIN_DIR, Mapping, load_mapping, mapping_from_text

FOLDER = "mappings"
MAX_BYTES = 256 * 1024  # the longest built-in mapping is under 10 KiB


def folder() -> Path:
    return load_settings().var_dir / FOLDER


def builtin_names() -> set[str]:
    return {load_mapping(path).name for path in BUILTIN_DIR.glob("*.y*ml")}


def save(data: bytes, file_name: str, user: User | None = None) -> tuple[Mapping, str]:
    """Check an uploaded mapping file and keep it; the mapping as saved, and the SHA-256 of its text.

    `user` (the command-line user when None) needs the loader role; the save is recorded in the audit
    trail. Raises InvalidMapping, naming the file (and the line, where YAML or a key is wrong), for a file
    that is not UTF-8 text, is too long, does not pass the mapping checks, or takes a built-in mapping's name.
    """
    acting = auth.require(user, "load", "save a mapping")
    shown = Path(file_name).name or "mapping.yaml"
    if len(data) > MAX_BYTES:
        raise InvalidMapping(f"Mapping {shown}: {len(data):,} bytes; a mapping file has at most {MAX_BYTES:,}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidMapping(f"Mapping {shown}: is not UTF-8 text ({e.reason} at byte {e.start}).") from e
    mapping = mapping_from_text(shown, text)  # every check of a mapping file, naming the uploaded file
    if mapping.name in builtin_names():
        raise InvalidMapping(
            f"Mapping {shown}: {mapping.name!r} is the name of a built-in mapping; give yours a name of its own."
        )
    target = folder() / f"{mapping.name}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written whole or not at all: a half-written file would break every listing of the mappings.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, suffix=".part", delete=False) as f:
        f.write(text)
    os.replace(f.name, target)
    sha = hashlib.sha256(data).hexdigest()
    audit.record("mapping", mapping.name, {"file": shown, "sha256": sha}, user=auth.audit_name(acting))
    return load_mapping(target), sha


def saved() -> list[Mapping]:
    """The mappings saved from the Load page, by name."""
    return sorted((load_mapping(path) for path in folder().glob("*.y*ml")), key=lambda m: m.name)


def remove(name: str, user: User | None = None) -> bool:
    """Forget a saved mapping (a built-in one is never touched); loads it made keep their provenance."""
    acting = auth.require(user, "load", "forget a mapping")
    paths = [m.path for m in saved() if m.name == name]
    for path in paths:
        path.unlink()
    if paths:
        audit.record("mapping", name, {"action": "forget"}, user=auth.audit_name(acting))
    return bool(paths)
