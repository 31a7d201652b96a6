"""Cypher the alerts run (read-only): the loads to evaluate and the files behind source tags."""

from __future__ import annotations

# Completed loads, oldest first: the order the rules see them in.
COMPLETED_LOADS = """
MATCH (l:Load) WHERE l.status = 'complete'
RETURN l.load_id AS load_id, l.file + coalesce(' › ' + l.sheet, '') AS file, l.started_at AS started_at
ORDER BY l.started_at, l.load_id
"""

LOAD_FILES = """
MATCH (l:Load) WHERE l.load_id IN $load_ids
RETURN l.load_id AS load_id, l.file + coalesce(' › ' + l.sheet, '') AS file
"""
