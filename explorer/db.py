"""The one way this product talks to Neo4j.

One `Driver` per process; a session per unit of work; `database_` always
passed. Reads run in read transactions after an EXPLAIN shows they are
read-only (see `explorer.security`). Writes go through `write_batches`, which
only the loaders and analytics call. Driver errors become domain errors.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    Query,
    unit_of_work,
)
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from explorer import queries
from explorer.config import Settings, load_settings
from explorer.exceptions import (
    AuthenticationFailed,
    DatabaseUnavailable,
    ExplorerError,
    QueryError,
)
from explorer.security import ensure_read_only_plan, ensure_read_only_text

DEFAULT_BATCH_SIZE = 10_000
T = TypeVar("T")
# An EXPLAIN that plans ahead is worth nothing once it takes longer than writing would have.
PLAN_TIMEOUT_S = 60.0
# Neo4j reports a query over its memory limit as transient, so the driver would run it again (and
# again): for a read that asked for too much, each retry only takes the memory from everyone else.
OUT_OF_MEMORY = {
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError": (
        "The query needs more memory than one query may use on this server (db.memory.transaction.max); "
        "return fewer rows or smaller values."
    ),
    "Neo.TransientError.General.OutOfMemoryError": (
        "Neo4j ran out of memory running this query; return fewer rows or smaller values."
    ),
}
# A string or list past Java's 2^31 limit fails before the heap does: the server then reports only
# the overflowed size, a bare negative number, which would mean nothing to an analyst.
TOO_LARGE = "The query builds a value larger than Neo4j can hold in one string or list; return smaller values."


def _overflowed(e: Neo4jError) -> bool:
    return e.code == "Neo.DatabaseError.Statement.ExecutionFailed" and bool(
        re.fullmatch(r"\s*-\d+\s*", e.message or "")
    )


class _Rows(list):  # type: ignore[type-arg]
    """A list parameter that the driver sends as it is, but prints short.

    The driver formats each RUN message for its debug log, parameters and all, before the log decides
    whether to keep the line; for a loader's batch of 10,000 rows that text cost as much CPU as
    encoding the rows (docs/benchmarks.md), on the path where the server waits for the next statement.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} values>"


class _Map(dict):  # type: ignore[type-arg]
    """A map parameter (the loader's `$batch` of rows) that the driver sends as it is, but prints short."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k}: {v!r}" for k, v in self.items()) + "}"


def _params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameters as sent: list values wrapped in `_Rows`, also inside a map value (one level down)."""
    return {k: _quiet(v) for k, v in (params or {}).items()}


def _release(sent: list[dict[str, Any]]) -> None:
    """Empty the lists of parameters already run. The driver keeps each statement's parameters in a
    reference cycle (its result and transaction) that only the garbage collector frees: a write's rows
    would stay in memory until the collector runs, and it would then walk all of them
    (docs/benchmarks.md). A retry sends the statements again from the caller's own lists, untouched."""
    for params in sent:
        for value in params.values():
            for rows in value.values() if type(value) is _Map else (value,):
                if type(rows) is _Rows:
                    rows.clear()


def _quiet(value: Any) -> Any:
    if type(value) is list:
        return _Rows(value)
    if type(value) is dict:
        return _Map({k: _Rows(v) if type(v) is list else v for k, v in value.items()})
    return value


def create_driver(settings: Settings) -> Driver:
    """A driver tuned so that a dead server is reported in seconds, not minutes."""
    return GraphDatabase.driver(
        settings.uri,
        auth=(settings.username, settings.password),
        connection_timeout=3.0,
        connection_acquisition_timeout=5.0,
        # The driver sleeps about 1 s, then 2 s, then 4 s between attempts and only checks the
        # budget before sleeping: 2 s keeps a dead server's sentence under 5 s while still
        # riding out a leader switch or a brief network blip.
        max_transaction_retry_time=2.0,
        user_agent="criminal-network-explorer",
        # No notifications: the server warns of every property key a query names that the store does not
        # hold yet (a new case, the first load), which the driver logs as warnings the analyst cannot act on.
        notifications_min_severity=NotificationMinimumSeverity.OFF,
    )


@contextmanager
def translate_errors(settings: Settings) -> Iterator[None]:
    """Re-raise driver errors as domain errors carrying a sentence for the analyst."""
    try:
        yield
    except AuthError as e:
        raise AuthenticationFailed(
            f"Neo4j at {settings.uri} refused the username or password: check NEO4J_USERNAME and NEO4J_PASSWORD in .env."
        ) from e
    except (ServiceUnavailable, SessionExpired) as e:
        raise DatabaseUnavailable(
            f"Neo4j is not answering at {settings.uri}: start it with `make neo4j` "
            "(or `python -m devtools.local_neo4j start`), or check NEO4J_URI in .env."
        ) from e
    except ClientError as e:
        raise QueryError(f"Neo4j rejected the query: {e.message}") from e
    except Neo4jError as e:
        if _overflowed(e):
            raise QueryError(TOO_LARGE) from e
        raise QueryError(f"Neo4j could not run the query: {e.message}") from e
    except DriverError as e:
        raise DatabaseUnavailable(f"Lost the connection to Neo4j at {settings.uri}: {e}") from e
    except OSError as e:
        raise DatabaseUnavailable(f"Cannot reach Neo4j at {settings.uri}: {e}") from e


@dataclass
class Result:
    """Rows of a read, with the column order Neo4j returned."""

    columns: list[str]
    records: list[Any]  # neo4j.Record: keeps nodes, relationships and paths intact
    elapsed_ms: float
    more: int = 0  # rows the query returned past `max_rows`, counted but not kept

    def rows(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.records]

    def __len__(self) -> int:
        return len(self.records)


class Graph:
    """A handle on one Neo4j database; cheap to create, shares the driver.

    No call chains bookmarks (`bookmark_manager_=None`): there is one server,
    and a server restored or restarted behind a long-lived app must not make
    every later query wait for a transaction it will never see.
    """

    def __init__(self, driver: Driver, settings: Settings):
        self.driver = driver
        self.settings = settings

    @classmethod
    def connect(cls, settings: Settings | None = None) -> Graph:
        settings = settings or load_settings()
        return cls(create_driver(settings), settings)

    def close(self) -> None:
        self.driver.close()

    @contextmanager
    def _session(self, access_mode: str) -> Iterator[Any]:
        """A session in the given access mode whose driver errors become one-sentence domain errors."""
        with (
            translate_errors(self.settings),
            self.driver.session(database=self.database, default_access_mode=access_mode) as session,
        ):
            yield session

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def database(self) -> str:
        return self.settings.database

    # -- reads ---------------------------------------------------------------

    def check_read_only(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """Refuse anything but a read-only query (text rules, then EXPLAIN's verdict).

        Returns the column names the query would return (from the same EXPLAIN).
        """
        ensure_read_only_text(cypher)
        with self._session(READ_ACCESS) as session:
            explained = session.run(Query("EXPLAIN " + cypher), dict(params or {}))
            columns = list(explained.keys())
            summary = explained.consume()
        ensure_read_only_plan(summary)
        return columns

    def read(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_s: float | None = 60.0,
        checked: bool = False,
        max_rows: int | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Result:
        """Run a read-only query in a read transaction and return its rows.

        `checked=True` skips the EXPLAIN when the caller already validated this
        exact text (the catalog does so once at start-up). With `max_rows`, only
        the first rows are kept and the rest are counted in `Result.more`.
        `metadata` as for `write_together` (a load's own reads are not the analysts').
        """
        if not checked:
            self.check_read_only(cypher, params)

        @unit_of_work(timeout=timeout_s, metadata=dict(metadata) if metadata else None)
        def work(tx: ManagedTransaction) -> tuple[list[str], list[Any], int]:
            more = 0
            try:
                res = tx.run(cypher, dict(params or {}))
                if max_rows is None:
                    records = list(res)
                else:
                    records = list(itertools.islice(res, max_rows))
                    for _ in res:
                        more += 1
            except TransientError as e:
                if e.code in OUT_OF_MEMORY:
                    raise QueryError(OUT_OF_MEMORY[e.code]) from e  # not a driver error: not retried
                raise
            return list(res.keys()), records, more

        started = time.perf_counter()
        with self._session(READ_ACCESS) as session:
            columns, records, more = session.execute_read(work)
        return Result(columns, records, (time.perf_counter() - started) * 1000, more)

    def stream(self, cypher: str, params: Mapping[str, Any] | None = None) -> Iterator[tuple[Any, ...]]:
        """Rows of an internal (trusted) read as tuples, as the server sends them, in constant memory.

        For bulk pulls (the analytics projection): rows are not collected into a list. The
        query still runs in a READ session, which the server enforces.
        """
        with self._session(READ_ACCESS) as session:
            for record in session.run(Query(cypher), dict(params or {})):
                yield tuple(record.values())

    def read_value(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        """First column of the first row of an internal (trusted) read, or None."""
        result = self.read(cypher, params, checked=True)
        return result.records[0][0] if result.records else None

    # -- writes (loaders and analytics only) ---------------------------------

    def write(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [r.data() for r in tx.run(cypher, _params(params))]

        with self._session(WRITE_ACCESS) as session:
            return session.execute_write(work)

    def write_together(self, statements: Sequence[tuple[str, Mapping[str, Any]]],
                       metadata: Mapping[str, Any] | None = None,
                       then: Callable[[ManagedTransaction], None] | None = None) -> list[Any]:  # fmt: skip
        """Run the statements in order in one write transaction; return each one's `SummaryCounters`.

        The driver retries the whole transaction on a transient error, so the statements must be idempotent.
        `metadata` is attached to the transaction, where `SHOW TRANSACTIONS` shows it (loaders.pacing).
        `then(tx)` runs after them in the same transaction (the end of a load, with its last rows).
        """

        def work(tx: ManagedTransaction) -> list[Any]:
            # Each run returns once the server has answered its RUN (an eager write has run by then); the
            # outcomes are read after the last. The rows sent are let go at once (`_release`).
            sent = [_params(params) for _, params in statements]
            results = [tx.run(cypher, params) for (cypher, _), params in zip(statements, sent, strict=True)]
            counters = [result.consume().counters for result in results]
            _release(sent)
            if then is not None:
                then(tx)
            return counters

        return self.write_transaction(work, metadata)

    def write_transaction(
        self, work: Callable[[ManagedTransaction], T], metadata: Mapping[str, Any] | None = None
    ) -> T:
        """`work(tx)` in one write transaction: what it runs commits together, with one commit.

        For a step that reads what it is about to write (the end of a load). The driver retries the whole
        of `work` on a transient error, so it must be idempotent. `metadata` as for `write_together`.
        """
        with self._session(WRITE_ACCESS) as session:
            return session.execute_write(unit_of_work(metadata=dict(metadata) if metadata else None)(work))

    @contextmanager
    def planning_session(
        self, metadata: Mapping[str, Any] | None = None
    ) -> Iterator[Callable[[str, Mapping[str, Any]], None]]:
        """A write session of its own, whose `plan(cypher, params)` has the server plan `cypher` for
        parameters of these types without running it (EXPLAIN): the plan then waits in the server's
        cache for the statement itself. The loader plans its next writes this way while it writes.
        `metadata` goes with each EXPLAIN, as with `write_together`."""
        with self._session(WRITE_ACCESS) as session:

            def plan(cypher: str, params: Mapping[str, Any]) -> None:
                session.run(Query("EXPLAIN " + cypher, dict(metadata) if metadata else None, PLAN_TIMEOUT_S),
                            _params(params)).consume()  # fmt: skip

            yield plan

    def write_batches(
        self,
        cypher: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        extra: Mapping[str, Any] | None = None,
        on_batch: Callable[[int], None] | None = None,
        on_counters: Callable[[Any], None] | None = None,
    ) -> int:
        """Run `cypher` (which must `UNWIND $rows AS row`) once per batch; return rows sent.

        Each batch is one idempotent transaction: the driver may retry it.
        `on_counters` receives each batch's `SummaryCounters` (nodes and relationships created).
        """
        sent = 0
        with self._session(WRITE_ACCESS) as session:
            for batch in _chunks(rows, batch_size):
                params = _params({**(extra or {}), "rows": batch})
                summary = session.execute_write(lambda tx, p=params: tx.run(cypher, p).consume())
                sent += len(batch)
                if on_counters:
                    on_counters(summary.counters)
                if on_batch:
                    on_batch(len(batch))
        return sent

    def write_in_transactions(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        """Run one `CALL ... IN TRANSACTIONS` write (auto-commit: it commits its own batches); its counters."""
        with self._session(WRITE_ACCESS) as session:
            return session.run(cypher, _params(params)).consume().counters

    def clear(self) -> None:
        """Delete every node and relationship, in server-side batches (auto-commit)."""
        with translate_errors(self.settings), self.driver.session(database=self.database) as session:
            session.run(queries.CLEAR_GRAPH).consume()

    def apply_schema(self, statements: Sequence[str] | None = None) -> int:
        """Apply every constraint and index of cypher/schema.cypher (idempotent)."""
        statements = statements if statements is not None else queries.schema_statements()
        with translate_errors(self.settings):
            for statement in statements:
                self.driver.execute_query(statement, database_=self.database, bookmark_manager_=None)
            self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database, bookmark_manager_=None)
        return len(statements)

    # -- facts about the server ----------------------------------------------

    def server_version(self) -> str:
        with translate_errors(self.settings):
            records, _, _ = self.driver.execute_query(
                queries.SERVER_VERSION, database_="system", routing_="r", bookmark_manager_=None
            )
        return f"{records[0]['name']} {records[0]['version']} {records[0]['edition']}"

    def counts(self) -> dict[str, int]:
        """Node and relationship totals (from the count store: constant time)."""
        with translate_errors(self.settings):
            records, _, _ = self.driver.execute_query(
                queries.TOTAL_COUNTS, database_=self.database, routing_="r", bookmark_manager_=None
            )
        return {"nodes": records[0]["nodes"], "relationships": records[0]["relationships"]}

    def label_counts(self) -> dict[str, int]:
        return {r["label"]: r["count"] for r in self.read(queries.LABEL_COUNTS, checked=True).records}

    def relationship_counts(self) -> dict[str, int]:
        return {r["type"]: r["count"] for r in self.read(queries.REL_TYPE_COUNTS, checked=True).records}

    def ping(self) -> None:
        """Raise a domain error unless the database answers within seconds."""
        with translate_errors(self.settings):
            self.driver.verify_connectivity()


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def describe(error: BaseException) -> str:
    """One sentence for the analyst, whatever went wrong."""
    if isinstance(error, ExplorerError):
        return str(error)
    return f"Something unexpected happened: {type(error).__name__}: {error}"
