"""Monthly partitions of the two tables that only grow, complaint_event and outbox
(docs/partitioning.md): converting a live city's plain tables, and keeping months ahead.

`convert` is what `lapor db partition` runs, once, when a city decides to (nothing converts on
its own). For each table it first prepares while the city keeps working: a unique index on
(id, created_at) built CONCURRENTLY, and a CHECK that every row is older than the *cutover*
(the first month start at least a day away) added NOT VALID and then validated. Then, in one
short transaction that gives up after `lock_timeout` (and is tried again): the plain table is
renamed `<table>_history`, a partitioned table with the same columns, checks, indexes,
foreign keys and triggers takes its name, and the old table is attached as its partition for
everything before the cutover. The validated CHECK proves the bound, the index and the
foreign keys are adopted as they are, so nothing is read or rebuilt under the lock: it is held
for milliseconds whatever the table's size. Months from the cutover on get partitions of
their own, and a DEFAULT partition takes any row of a month nobody made (it is accepted, not
refused; `ensure_ahead` later moves such rows into their month when it makes it).

`ensure_ahead` (the `partitions.ahead` job, and the end of every `convert`) makes the
partitions from this month to `ahead` months on; on plain tables it does nothing. Both are
idempotent: a second run finds everything made and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import asyncpg

from lapor.context import Services
from lapor.months import add_months
from lapor.repo import partitions as repo
from lapor.repo.partitions import TABLES

log = logging.getLogger(__name__)

AHEAD_MONTHS = 3  # partitions made ahead of the current month
LOCK_TIMEOUT_MS = 3000  # how long the swap or an attach waits for its locks before trying again
TRIES = 5
# The cutover is the first month start at least this far away: the CHECK added while preparing
# refuses rows from the cutover on until the swap, so it must not come during the preparation.
CUTOVER_MARGIN = timedelta(days=1)

# Foreign keys of other tables that point at a table to convert, and how each is kept after:
# PostgreSQL lets a foreign key point at a partitioned table only through its whole key
# (id, created_at), so this one becomes sql/015's trigger (the photo's event, of its complaint).
REFERENCES_REPLACED = {("complaint_photo", "complaint_photo_event_id_fkey")}


class PartitionError(RuntimeError):
    """The tables are in a state the conversion will not touch; the message says which."""


@dataclass(frozen=True)
class Partition:
    name: str
    lower: datetime | None  # None: MINVALUE (the history partition)
    upper: datetime | None
    is_default: bool
    estimated_rows: int


@dataclass(frozen=True)
class TableState:
    table: str
    partitioned: bool
    partitions: tuple[Partition, ...] = ()


def month_of(moment: datetime, city_zone) -> date:
    local = moment.astimezone(city_zone)
    return date(local.year, local.month, 1)


def month_start(month: date, city_zone) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=city_zone)


def partition_name(table: str, month: date) -> str:
    return f"{table}_{month.year:04d}_{month.month:02d}"


def history_name(table: str) -> str:
    return f"{table}_history"


def default_name(table: str) -> str:
    return f"{table}_default"


def cutover_for(now: datetime, city_zone) -> date:
    """The month the monthly partitions start from: the next month, or the one after when the
    next begins within CUTOVER_MARGIN."""
    month = add_months(month_of(now, city_zone), 1)
    if month_start(month, city_zone) - now < CUTOVER_MARGIN:
        month = add_months(month, 1)
    return month


async def state(conn: asyncpg.Connection, table: str) -> TableState:
    kind = await repo.table_kind(conn, table)
    if kind is None:
        raise PartitionError(f"{table}: no such table (are the migrations applied?)")
    if kind != "p":
        return TableState(table, False)
    found = tuple(
        Partition(r["name"], r["lower"], r["upper"], r["is_default"], r["estimated_rows"])
        for r in await repo.partitions(conn, table)
    )
    return TableState(table, True, found)


# --------------------------------------------------------------------------------- convert
async def convert(
    conn: asyncpg.Connection,
    zone,
    now: datetime,
    *,
    ahead: int = AHEAD_MONTHS,
    lock_timeout_ms: int = LOCK_TIMEOUT_MS,
) -> list[str]:
    """Partition both tables by month (those already partitioned are left as they are), then
    make the partitions `ahead` months on. `conn` must not be in a transaction (CONCURRENTLY).
    Returns what was done, one line each."""
    done: list[str] = []
    cutover = cutover_for(now, zone)
    bound = month_start(cutover, zone)
    for table in TABLES:
        if (await state(conn, table)).partitioned:
            continue
        await _check_convertible(conn, table)
        started = time.perf_counter()
        await _prepare(conn, table, bound, lock_timeout_ms)
        prepared = time.perf_counter()
        await _with_retries(conn, lock_timeout_ms, lambda c, t=table: _swap(c, t, bound))
        swapped = time.perf_counter()
        await repo.analyze(conn, table)  # autovacuum never analyzes a partitioned parent
        done.append(
            f"{table}: partitioned by month; rows before {cutover:%Y-%m} in {history_name(table)}"
            f" (prepared online in {prepared - started:.1f} s; the swap took"
            f" {(swapped - prepared) * 1000:.0f} ms)"
        )
    done += await ensure_ahead(conn, zone, now, ahead=ahead, lock_timeout_ms=lock_timeout_ms)
    return done


async def _check_convertible(conn: asyncpg.Connection, table: str) -> None:
    for index in await repo.indexes(conn, table):
        unique = index["is_unique"] and not index["is_primary"]
        if unique and "created_at" not in index["columns"] and index["name"] != _key_index(table):
            raise PartitionError(
                f"{table}: unique index {index['name']} cannot hold on a partitioned table"
                " (it lacks created_at)"
            )
    for reference in await repo.foreign_keys_in(conn, table):
        if (reference["table_name"], reference["name"]) not in REFERENCES_REPLACED:
            raise PartitionError(
                f"{table}: {reference['table_name']}.{reference['name']} points at it; "
                "a foreign key cannot point at a monthly partitioned table"
            )


def _key_index(table: str) -> str:
    return f"{history_name(table)}_id_created"


def _bound_check(table: str, bound: datetime) -> str:
    """Named for its bound, so a run for another cutover leaves a name of its own."""
    return f"{history_name(table)}_before_{bound:%Y_%m}"


async def _prepare(
    conn: asyncpg.Connection, table: str, bound: datetime, lock_timeout_ms: int
) -> None:
    """Online: reads and writes go on (an interrupted run is taken up by the next)."""
    key = _key_index(table)
    existing = {r["name"]: r for r in await repo.indexes(conn, table)}
    if key in existing and not existing[key]["is_valid"]:  # a CONCURRENTLY build cut short
        await repo.drop_index_concurrently(conn, key)
        del existing[key]
    if key not in existing:
        log.info("partitions: building %s concurrently", key)
        await repo.create_key_index(conn, table, key)
    check = _bound_check(table, bound)
    for stale in await repo.checks_named(conn, table, f"{history_name(table)}_before_%"):
        if stale != check:  # left by a run for another cutover (a moment's lock to drop)
            await _with_retries(
                conn, lock_timeout_ms, lambda c, s=stale: repo.drop_constraint(c, table, s)
            )
    if await repo.checks_named(conn, table, check) == []:
        await _with_retries(conn, lock_timeout_ms, lambda c: repo.add_bound(c, table, check, bound))
    try:
        await repo.validate_bound(conn, table, check)
    except asyncpg.CheckViolationError as error:
        raise PartitionError(
            f"{table}: rows dated from {bound:%Y-%m-%d} on already exist; is the clock right?"
        ) from error


async def _swap(conn: asyncpg.Connection, table: str, bound: datetime) -> None:
    history = history_name(table)
    replaced = await repo.foreign_keys_in(conn, table)
    locked = [table] + sorted({r["table_name"] for r in replaced})
    await repo.lock_tables(conn, *locked)
    if await repo.table_kind(conn, table) == "p":  # another run won the race
        return
    indexes = await repo.indexes(conn, table)
    foreign_keys = await repo.foreign_keys_out(conn, table)
    triggers = await repo.triggers(conn, table)
    for reference in await repo.foreign_keys_in(conn, table):
        await repo.drop_constraint(conn, reference["table_name"], reference["name"])
    await repo.rename_table(conn, table, history)
    for index in indexes:
        if index["name"] != _key_index(table):
            await repo.rename_index(conn, index["name"], _history_index(table, index["name"]))
    await repo.drop_identity(conn, history)
    await repo.key_from_index(conn, history, _key_index(table))
    for trigger in triggers:
        await repo.drop_trigger(conn, history, trigger["name"])
    sequence = f"{table}_id_seq"
    await repo.create_sequence(conn, sequence, history)
    await repo.create_parent(conn, table, history, sequence)
    await repo.drop_constraint(conn, table, _bound_check(table, bound))  # copied by LIKE
    await repo.add_primary_key(conn, table, f"{table}_pkey")
    for index in indexes:
        if not index["is_primary"] and index["name"] != _key_index(table):
            await repo.recreate(conn, index["definition"])
    for key in foreign_keys:
        await repo.add_constraint(conn, table, key["name"], key["definition"])
    for trigger in triggers:
        await repo.recreate(conn, trigger["definition"])
    await repo.attach_history(conn, table, history, bound)
    await repo.drop_constraint(conn, history, _bound_check(table, bound))
    await repo.create_default(conn, table, default_name(table))
    if any(r["table_name"] == "complaint_photo" for r in replaced):
        await repo.photo_event_trigger(conn)


def _history_index(table: str, name: str) -> str:
    rest = name.removeprefix(f"{table}_") if name.startswith(f"{table}_") else name
    return f"{history_name(table)}_{rest}"


# ----------------------------------------------------------------------------- months ahead
async def ensure_ahead(
    conn: asyncpg.Connection,
    zone,
    now: datetime,
    *,
    ahead: int = AHEAD_MONTHS,
    lock_timeout_ms: int = LOCK_TIMEOUT_MS,
) -> list[str]:
    """Partitions for this month and the `ahead` after it, on the tables that are partitioned
    (none made for a month some partition already covers, e.g. the history). Rows of such a
    month that waited in the default partition move into it. Returns what was made."""
    made: list[str] = []
    this_month = month_of(now, zone)
    for table in TABLES:
        if not (await state(conn, table)).partitioned:
            continue
        for step in range(ahead + 1):
            month = add_months(this_month, step)

            async def attach(c: asyncpg.Connection, table=table, month=month) -> str | None:
                return await _attach_month(c, table, month, zone)

            moved = await _with_retries(conn, lock_timeout_ms, attach)
            if moved is not None:
                made.append(moved)
        current = await state(conn, table)
        if not any(p.is_default for p in current.partitions):
            continue
        waiting = await repo.count_rows(conn, default_name(table))
        if waiting:
            log.warning(
                "partitions: %s rows of %s wait in %s (months with no partition)",
                waiting,
                table,
                default_name(table),
            )
    return made


async def _attach_month(conn: asyncpg.Connection, table: str, month: date, zone) -> str | None:
    await repo.serialize(conn)  # inside the transaction: instances take turns
    start, end = month_start(month, zone), month_start(add_months(month, 1), zone)
    current = await state(conn, table)
    for partition in current.partitions:
        if partition.is_default:
            continue
        if (partition.lower is None or partition.lower < end) and (
            partition.upper is None or partition.upper > start
        ):
            return None  # this month is covered already
    default = default_name(table)
    has_default = any(p.is_default and p.name == default for p in current.partitions)
    waiting = await repo.rows_between(conn, default, start, end) if has_default else 0
    name = partition_name(table, month)
    await repo.attach_month(conn, table, name, start, end, move_from=default if waiting else None)
    note = f" ({waiting} rows moved from {default})" if waiting else ""
    return f"{name}: made{note}"


async def _with_retries(conn: asyncpg.Connection, timeout_ms: int, work):
    """`work(conn)` in a transaction that waits at most `timeout_ms` for any lock, tried again
    (after a pause that grows) while it only failed for want of a lock. Waiting for an exclusive
    lock stops every query that comes after, so the wait is kept short."""
    for attempt in range(TRIES):
        try:
            async with conn.transaction():
                await repo.lock_timeout(conn, timeout_ms)
                return await work(conn)
        except (asyncpg.LockNotAvailableError, asyncpg.DeadlockDetectedError):
            if attempt == TRIES - 1:
                raise PartitionError(
                    f"gave up after {TRIES} tries: other transactions held the tables' locks "
                    f"longer than {timeout_ms} ms each time; try again when the city is quieter"
                ) from None
            await asyncio.sleep(0.5 * 2**attempt)
    return None


# ------------------------------------------------------------------------------ the job
async def keep_ahead(services: Services) -> int:
    """The `partitions.ahead` job: months ahead on partitioned tables, nothing otherwise."""
    async with services.pool.acquire() as conn:
        made = await ensure_ahead(conn, services.city.zone, services.clock.now())
        if made:
            for table in TABLES:
                await repo.analyze(conn, table)  # the parent's statistics, once a month
    for line in made:
        log.info("partitions: %s", line)
    return len(made)
