"""SQL for monthly partitions of complaint_event and outbox (lapor/partitions.py says when and
why): reading the catalogue, the online preparation, the swap, and attaching a month.

DDL cannot take parameters, so names and bounds are written into the statements; they never
come from a person: table names are checked against the two partitioned tables, every other
name against a pattern, and bounds are timestamps this code computed (`_literal`)."""

from __future__ import annotations

import re
from datetime import datetime

import asyncpg

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
TABLES = ("complaint_event", "outbox")


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a name lapor makes: {name!r}")
    return f'"{name}"'


def _literal(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("partition bounds are absolute times")
    return f"'{moment.isoformat()}'"


def _table(name: str) -> str:
    if name not in TABLES:
        raise ValueError(f"{name!r} is not partitioned by lapor")
    return _ident(name)


# ------------------------------------------------------------------------------ the catalogue
# 'r' an ordinary table, 'p' a partitioned one, NULL none (in the search path's first schema).
TABLE_KIND = "SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)"

# The partitions of $1 with their bounds read back as times (NULL: MINVALUE/MAXVALUE), the
# default partition marked, and how many rows the statistics think each holds.
PARTITIONS = r"""
SELECT c.relname AS name, b.bound = 'DEFAULT' AS is_default,
       CASE WHEN m[1] LIKE '''%' THEN btrim(m[1], '''')::timestamptz END AS lower,
       CASE WHEN m[2] LIKE '''%' THEN btrim(m[2], '''')::timestamptz END AS upper,
       greatest(c.reltuples, 0)::bigint AS estimated_rows
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound) b
LEFT JOIN LATERAL regexp_match(b.bound, 'FROM \((.+)\) TO \((.+)\)') m ON true
WHERE i.inhparent = to_regclass($1)
ORDER BY lower NULLS FIRST, c.relname
"""

INDEXES = """
SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition, x.indisunique AS is_unique,
       x.indisprimary AS is_primary, x.indisvalid AS is_valid,
       array(SELECT a.attname::text FROM unnest(x.indkey) k JOIN pg_attribute a
             ON a.attrelid = x.indrelid AND a.attnum = k) AS columns
FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
WHERE x.indrelid = to_regclass($1)
ORDER BY c.relname
"""

# Foreign keys of $1 pointing out, and those of other tables pointing at it.
FOREIGN_KEYS_OUT = """
SELECT conname AS name, pg_get_constraintdef(oid) AS definition
FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'f'
ORDER BY conname
"""

FOREIGN_KEYS_IN = """
SELECT conname AS name, conrelid::regclass::text AS table_name
FROM pg_constraint WHERE confrelid = to_regclass($1) AND contype = 'f'
ORDER BY conname
"""

TRIGGERS = """
SELECT tgname AS name, pg_get_triggerdef(oid) AS definition
FROM pg_trigger WHERE tgrelid = to_regclass($1) AND NOT tgisinternal
ORDER BY tgname
"""

CHECKS_NAMED = """
SELECT conname FROM pg_constraint
WHERE conrelid = to_regclass($1) AND contype = 'c' AND conname LIKE $2
ORDER BY conname
"""

MAX_ID = "SELECT coalesce(max(id), 0) FROM {table}"

ROWS_BETWEEN = "SELECT count(*) FROM {table} WHERE created_at >= $1 AND created_at < $2"

DEFAULT_ROWS = "SELECT count(*) FROM {table}"

# Only this transaction waits this long for a lock ($1: milliseconds); as a parameter, since SET
# takes none.
LOCK_TIMEOUT = "SELECT set_config('lock_timeout', $1, true)"

# Two instances' jobs (or a job and the command) making the same month take turns.
SERIALIZE = "SELECT pg_advisory_xact_lock(hashtext('lapor.partitions'))"


async def table_kind(conn: asyncpg.Connection, table: str) -> str | None:
    return await conn.fetchval(TABLE_KIND, table)


async def partitions(conn: asyncpg.Connection, table: str) -> list[asyncpg.Record]:
    return await conn.fetch(PARTITIONS, table)


async def indexes(conn: asyncpg.Connection, table: str) -> list[asyncpg.Record]:
    return await conn.fetch(INDEXES, table)


async def foreign_keys_out(conn: asyncpg.Connection, table: str) -> list[asyncpg.Record]:
    return await conn.fetch(FOREIGN_KEYS_OUT, table)


async def foreign_keys_in(conn: asyncpg.Connection, table: str) -> list[asyncpg.Record]:
    return await conn.fetch(FOREIGN_KEYS_IN, table)


async def triggers(conn: asyncpg.Connection, table: str) -> list[asyncpg.Record]:
    return await conn.fetch(TRIGGERS, table)


async def checks_named(conn: asyncpg.Connection, table: str, pattern: str) -> list[str]:
    """Names of the CHECK constraints of `table` LIKE `pattern`."""
    return [r[0] for r in await conn.fetch(CHECKS_NAMED, table, pattern)]


async def lock_timeout(conn: asyncpg.Connection, milliseconds: int) -> None:
    await conn.execute(LOCK_TIMEOUT, f"{milliseconds}ms")


async def serialize(conn: asyncpg.Connection) -> None:
    await conn.execute(SERIALIZE)


async def rows_between(
    conn: asyncpg.Connection, partition: str, start: datetime, end: datetime
) -> int:
    return await conn.fetchval(ROWS_BETWEEN.format(table=_ident(partition)), start, end)


async def count_rows(conn: asyncpg.Connection, partition: str) -> int:
    return await conn.fetchval(DEFAULT_ROWS.format(table=_ident(partition)))


# ------------------------------------------------- online preparation (no transaction around)
# The key the partitioned table will have, built while the table takes writes.
CREATE_KEY_INDEX = "CREATE UNIQUE INDEX CONCURRENTLY {index} ON {table} (id, created_at)"
DROP_INDEX_CONCURRENTLY = "DROP INDEX CONCURRENTLY IF EXISTS {index}"
# NOT VALID: added at once (a moment's lock), checked for rows written from now on; VALIDATE then
# reads the table under a lock that lets reads and writes go on. The validated check is what
# lets ATTACH skip reading the whole table.
ADD_BOUND = "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK (created_at < {bound}) NOT VALID"
VALIDATE_BOUND = "ALTER TABLE {table} VALIDATE CONSTRAINT {check}"
DROP_CONSTRAINT = "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {constraint}"


async def create_key_index(conn: asyncpg.Connection, table: str, index: str) -> None:
    await conn.execute(CREATE_KEY_INDEX.format(index=_ident(index), table=_table(table)))


async def drop_index_concurrently(conn: asyncpg.Connection, index: str) -> None:
    await conn.execute(DROP_INDEX_CONCURRENTLY.format(index=_ident(index)))


async def add_bound(conn: asyncpg.Connection, table: str, check: str, bound: datetime) -> None:
    await conn.execute(
        ADD_BOUND.format(table=_table(table), check=_ident(check), bound=_literal(bound))
    )


async def validate_bound(conn: asyncpg.Connection, table: str, check: str) -> None:
    await conn.execute(VALIDATE_BOUND.format(table=_table(table), check=_ident(check)))


async def drop_constraint(conn: asyncpg.Connection, table: str, constraint: str) -> None:
    await conn.execute(DROP_CONSTRAINT.format(table=_ident(table), constraint=_ident(constraint)))


# ----------------------------------------------------------- the swap (one short transaction)
LOCK_TABLES = "LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE"
RENAME_TABLE = "ALTER TABLE {table} RENAME TO {new}"
RENAME_INDEX = "ALTER INDEX {index} RENAME TO {new}"
DROP_IDENTITY = "ALTER TABLE {table} ALTER COLUMN id DROP IDENTITY IF EXISTS"
# The history's key becomes (id, created_at), the parent's: an attached partition's primary key
# must be the parent's (PostgreSQL 18 refuses a second one; 15 took a unique index). Both steps
# are catalogue changes: the index was built concurrently beforehand.
PRIMARY_KEY_NAME = """
SELECT conname FROM pg_constraint
WHERE conrelid = format('%I', $1::text)::regclass AND contype = 'p'
"""
KEY_FROM_INDEX = (
    "ALTER TABLE {table} DROP CONSTRAINT {old}, "
    "ADD CONSTRAINT {index} PRIMARY KEY USING INDEX {index}"
)
DROP_TRIGGER = "DROP TRIGGER {trigger} ON {table}"
CREATE_SEQUENCE = "CREATE SEQUENCE {sequence}"
SET_SEQUENCE = "SELECT setval($1::regclass, $2::bigint + 1, false)"
# Columns, defaults, NOT NULL and CHECK constraints as the plain table has them (whatever later
# migrations add); not its identity: a partitioned table may not have one before PostgreSQL 17.
CREATE_PARENT = """
CREATE TABLE {table} (LIKE {history} INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                      INCLUDING STORAGE INCLUDING COMMENTS)
PARTITION BY RANGE (created_at)
"""
ID_FROM_SEQUENCE = """
ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{sequence}');
ALTER SEQUENCE {sequence} OWNED BY {table}.id
"""
ADD_PRIMARY_KEY = "ALTER TABLE {table} ADD CONSTRAINT {key} PRIMARY KEY (id, created_at)"
ADD_CONSTRAINT = "ALTER TABLE {table} ADD CONSTRAINT {constraint} {definition}"
ATTACH_HISTORY = (
    "ALTER TABLE {table} ATTACH PARTITION {history} FOR VALUES FROM (MINVALUE) TO ({bound})"
)
CREATE_DEFAULT = "CREATE TABLE {partition} PARTITION OF {table} DEFAULT"
# The proof photo's event, checked by sql/015's function instead of a foreign key.
PHOTO_EVENT_TRIGGER = """
CREATE TRIGGER complaint_photo_event_exists BEFORE INSERT OR UPDATE OF event_id, complaint_id
ON complaint_photo FOR EACH ROW EXECUTE FUNCTION complaint_photo_event_exists()
"""
ANALYZE = "ANALYZE {table}"


async def lock_tables(conn: asyncpg.Connection, *tables: str) -> None:
    await conn.execute(LOCK_TABLES.format(tables=", ".join(_ident(t) for t in tables)))


async def rename_table(conn: asyncpg.Connection, table: str, new: str) -> None:
    await conn.execute(RENAME_TABLE.format(table=_table(table), new=_ident(new)))


async def rename_index(conn: asyncpg.Connection, index: str, new: str) -> None:
    await conn.execute(RENAME_INDEX.format(index=_ident(index), new=_ident(new)))


async def drop_identity(conn: asyncpg.Connection, table: str) -> None:
    await conn.execute(DROP_IDENTITY.format(table=_ident(table)))


async def key_from_index(conn: asyncpg.Connection, table: str, index: str) -> None:
    old = await conn.fetchval(PRIMARY_KEY_NAME, table)
    await conn.execute(
        KEY_FROM_INDEX.format(table=_ident(table), old=_ident(old), index=_ident(index))
    )


async def drop_trigger(conn: asyncpg.Connection, table: str, trigger: str) -> None:
    await conn.execute(DROP_TRIGGER.format(table=_ident(table), trigger=_ident(trigger)))


async def create_sequence(conn: asyncpg.Connection, sequence: str, after_table: str) -> None:
    await conn.execute(CREATE_SEQUENCE.format(sequence=_ident(sequence)))
    highest = await conn.fetchval(MAX_ID.format(table=_ident(after_table)))
    await conn.execute(SET_SEQUENCE, sequence, highest)


async def create_parent(conn: asyncpg.Connection, table: str, history: str, sequence: str) -> None:
    await conn.execute(CREATE_PARENT.format(table=_table(table), history=_ident(history)))
    await conn.execute(ID_FROM_SEQUENCE.format(table=_table(table), sequence=_ident(sequence)))


async def add_primary_key(conn: asyncpg.Connection, table: str, key: str) -> None:
    await conn.execute(ADD_PRIMARY_KEY.format(table=_table(table), key=_ident(key)))


async def recreate(conn: asyncpg.Connection, definition: str) -> None:
    """An index or trigger definition as the catalogue gave it (pg_get_indexdef,
    pg_get_triggerdef), read before the table was renamed: it names the new parent."""
    if not re.match(r"^CREATE (INDEX|TRIGGER) ", definition):
        raise ValueError(f"not a catalogue definition: {definition[:60]!r}")
    await conn.execute(definition)


async def add_constraint(
    conn: asyncpg.Connection, table: str, constraint: str, definition: str
) -> None:
    """definition: pg_get_constraintdef's text of the plain table's constraint."""
    if not definition.startswith("FOREIGN KEY "):
        raise ValueError(f"not a foreign key: {definition[:60]!r}")
    await conn.execute(
        ADD_CONSTRAINT.format(
            table=_table(table), constraint=_ident(constraint), definition=definition
        )
    )


async def attach_history(
    conn: asyncpg.Connection, table: str, history: str, bound: datetime
) -> None:
    await conn.execute(
        ATTACH_HISTORY.format(table=_table(table), history=_ident(history), bound=_literal(bound))
    )


async def create_default(conn: asyncpg.Connection, table: str, partition: str) -> None:
    await conn.execute(CREATE_DEFAULT.format(table=_table(table), partition=_ident(partition)))


async def photo_event_trigger(conn: asyncpg.Connection) -> None:
    await conn.execute(PHOTO_EVENT_TRIGGER)


async def analyze(conn: asyncpg.Connection, table: str) -> None:
    await conn.execute(ANALYZE.format(table=_table(table)))


# --------------------------------------------------------- a month attached to a live parent
# Made beside the parent and attached: ATTACH takes a lock that lets reads and writes of the
# parent go on (CREATE ... PARTITION OF would stop them), and reads the default partition once
# to prove none of its rows belong to the new month.
CREATE_LIKE = """
CREATE TABLE {partition} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                          INCLUDING STORAGE)
"""
# Rows that waited in the default partition move to their month. The append-only guard is a
# trigger of the partition's, off for this transaction only (others wait on its lock).
MOVE_FROM_DEFAULT = """
ALTER TABLE {default} DISABLE TRIGGER USER;
WITH moved AS (
    DELETE FROM {default}
    WHERE created_at >= {start} AND created_at < {end}
    RETURNING *
)
INSERT INTO {partition} SELECT * FROM moved;
ALTER TABLE {default} ENABLE TRIGGER USER
"""
ATTACH_MONTH = (
    "ALTER TABLE {table} ATTACH PARTITION {partition} FOR VALUES FROM ({start}) TO ({end})"
)


async def attach_month(
    conn: asyncpg.Connection,
    table: str,
    partition: str,
    start: datetime,
    end: datetime,
    *,
    move_from: str | None,
) -> None:
    """Inside the caller's transaction. move_from: the default partition, when it holds rows of
    this month."""
    names = {
        "table": _table(table),
        "partition": _ident(partition),
        "start": _literal(start),
        "end": _literal(end),
    }
    await conn.execute(CREATE_LIKE.format(**names))
    if move_from is not None:
        await conn.execute(MOVE_FROM_DEFAULT.format(default=_ident(move_from), **names))
    await conn.execute(ATTACH_MONTH.format(**names))
