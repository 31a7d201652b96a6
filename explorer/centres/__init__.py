"""Provincial and national centres: linked cases across databases without pooling raw data.

Each centre is its own Neo4j server (`centres.yaml`, `explorer.centres.config`). A centre writes a
linkage index of keyed hashes and name encodings (`explorer.centres.index`), indexes are compared
for hit / no-hit (`explorer.centres.match`), and a centre answers live look-ups and, to permitted
requests, details (`explorer.centres.service`). See docs/centres.md.
"""
