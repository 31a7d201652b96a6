"""Bulk loading of seized-data exports into the graph, declared by YAML mappings.

Start with `loaders.api` (what the app's Load page uses) or the CLI,
`python -m loaders --help`.
"""
