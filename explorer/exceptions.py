"""One root error and a few specific ones; the UI turns each into a sentence."""

from __future__ import annotations


class ExplorerError(Exception):
    """Root of every error this product raises on purpose."""


class DatabaseUnavailable(ExplorerError):
    """Neo4j cannot be reached (down, wrong URI, network)."""


class AuthenticationFailed(ExplorerError):
    """Neo4j answered but refused the configured credentials."""


class QueryError(ExplorerError):
    """Neo4j rejected a query (syntax, type or runtime error)."""


class NotReadOnly(ExplorerError):
    """A query offered for reading would change the graph or reach outside it.

    The message is English (logs, the command line); `key` and `values` name the same sentence in the
    interface catalogue, so a screen can say it in the analyst's language. A value written `@key` is
    itself a catalogue key.
    """

    def __init__(self, message: str, key: str | None = None, **values: object):
        super().__init__(message)
        self.key = key
        self.values = values


class InvalidInvestigation(ExplorerError):
    """A saved investigation file is malformed; the message names file and line."""


class InvalidMapping(ExplorerError):
    """A mapping YAML file is malformed; the message names file and key."""


class FileRejected(ExplorerError):
    """A whole export cannot be loaded; nothing was written."""


class LoadInterrupted(ExplorerError):
    """A load stopped part-way; running it again ends with the graph a clean load gives."""


class ServerSetupError(ExplorerError):
    """The local Neo4j server cannot be started (Java, Maven, port in use)."""
