"""Tools for development and demonstration: the scenario generator, the demo loader and the local Neo4j launcher.

Nothing in the product (explorer/, loaders/, pages/, app.py) imports this package;
tests, benchmarks and the Makefile do.
"""
