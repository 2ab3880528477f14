"""SQL for the monthly report. Every query aggregates in the database and answers for two
months at once (m = 0 the month before, m = 1 the month reported), city-wide and per agency
through GROUPING SETS: `all_agencies` = 1 marks the city-wide row (agency NULL on an agency row
means "at the verification desk").

Common parameters: $1 start of the month before, $2 start of the month, $3 end of the month
(all timestamptz, city time). Queries that count working days add the calendar as $4-$9
(see lapor.workdays.SqlCalendar.args).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg
from asyncpg import Record

_WORKDAYS = "working_seconds_until({at}, $4, $5, $6, $7, $8, $9)"


def _working_days(start: str, end: str) -> str:
    return f"({_WORKDAYS.format(at=end)} - {_WORKDAYS.format(at=start)}) / $9"


MIN_CREATED = "SELECT min(created_at) FROM complaint"

# PostgreSQL compiles a statement costed above jit_above_cost with LLVM. The report's are, and on
# a monthly partitioned complaint_event (lapor/partitions.py) their plans hold a branch per
# partition: compiling them took 14.5 s for a statement that runs in 0.5 s (bench/scale.py).
# Off for the report's transaction only.
# Sorts and hashes of a month's rows fit in memory (the server's default 4 MB spills them to
# disk), for this transaction only.
WITHOUT_JIT = "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"

RECEIVED = """
SELECT m, agency, category, channel, count(*) AS n,
       GROUPING(agency) AS all_agencies, GROUPING(category) AS any_category,
       GROUPING(channel) AS any_channel
FROM (SELECT CASE WHEN c.created_at < $2 THEN 0 ELSE 1 END AS m,
             c.agency_code AS agency, c.category_code AS category, c.channel
      FROM complaint c
      WHERE c.created_at >= $1 AND c.created_at < $3) received
GROUP BY GROUPING SETS ((m), (m, agency), (m, category), (m, agency, category),
                        (m, channel), (m, agency, channel))
"""

# The last resolution of each complaint within a month counts once, for the agency that made
# it; its time runs from filing (what the citizen waited), in working days. The filing time is
# looked up per resolution (a subquery, so by the primary key): as a join the planner chose to
# read the whole complaint table in id order for a tenth of it (bench/scale.py).
_FILED = "(SELECT c.created_at FROM complaint c WHERE c.id = r.complaint_id)"
RESOLVED = f"""
WITH resolution AS (
    SELECT DISTINCT ON (e.complaint_id, m) e.complaint_id, m, e.from_agency AS agency,
           e.created_at AS resolved_at
    FROM (SELECT e.*, CASE WHEN e.created_at < $2 THEN 0 ELSE 1 END AS m
          FROM complaint_event e
          WHERE e.kind = 'resolve' AND e.created_at >= $1 AND e.created_at < $3) e
    ORDER BY e.complaint_id, m, e.created_at DESC, e.id DESC)
SELECT m, agency, GROUPING(agency) AS all_agencies, count(*) AS n,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY days) AS pct
FROM (SELECT r.m, r.agency, {_working_days(_FILED, "r.resolved_at")} AS days
      FROM resolution r) timed
GROUP BY GROUPING SETS ((m), (m, agency))
"""

# First response: from landing at the agency to its first public reply (the SLA's stage).
FIRST_RESPONSE = f"""
SELECT m, agency, GROUPING(agency) AS all_agencies, count(*) AS n,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY days) AS pct
FROM (SELECT CASE WHEN c.responded_at < $2 THEN 0 ELSE 1 END AS m, c.agency_code AS agency,
             {_working_days("c.assigned_at", "c.responded_at")} AS days
      FROM complaint c
      WHERE c.responded_at >= $1 AND c.responded_at < $3 AND c.assigned_at IS NOT NULL) timed
GROUP BY GROUPING SETS ((m), (m, agency))
"""

# Of the deadlines that fell due in a month, how many were met. Verification is the desk's
# work ($4 = the desk agency): met when, at the deadline, the complaint no longer waited there.
# One pass over the complaints for the three deadlines (each row's stages unnested), and the
# timeline read only for verification.
SLA = """
SELECT stage, m, agency, GROUPING(agency) AS all_agencies, count(*) AS due,
       count(*) FILTER (WHERE met) AS met
FROM (
    SELECT d.stage, CASE WHEN d.due_at < $2 THEN 0 ELSE 1 END AS m,
           CASE WHEN d.stage = 'verify' THEN $4::text ELSE c.agency_code END AS agency,
           CASE d.stage
               WHEN 'verify' THEN coalesce(at_deadline.to_status NOT IN ('received'), false)
               WHEN 'response' THEN coalesce(c.responded_at <= c.response_due_at, false)
               ELSE coalesce(c.resolved_at <= c.resolve_due_at, false) END AS met
    FROM complaint c
    CROSS JOIN LATERAL (VALUES ('verify', c.verify_due_at), ('response', c.response_due_at),
                               ('resolve', c.resolve_due_at)) d (stage, due_at)
    LEFT JOIN LATERAL (
        SELECT e.to_status FROM complaint_event e
        WHERE d.stage = 'verify' AND e.complaint_id = c.id AND e.to_status IS NOT NULL
          AND e.created_at <= c.verify_due_at
          AND e.created_at >= c.created_at  -- always; on a partitioned timeline, fewer months
        ORDER BY e.created_at DESC, e.id DESC LIMIT 1) at_deadline ON true
    WHERE d.due_at >= $1 AND d.due_at < $3
      AND ((c.verify_due_at >= $1 AND c.verify_due_at < $3)
           OR (c.response_due_at >= $1 AND c.response_due_at < $3)
           OR (c.resolve_due_at >= $1 AND c.resolve_due_at < $3))) stages
GROUP BY GROUPING SETS ((stage, m), (stage, m, agency))
"""

# Escalations count every step up (the sla branch writes kind 'escalation' with data.level);
# reopens count complaints. Both belong to the agency the complaint was with.
EVENTS = """
SELECT kind, level, m, agency, GROUPING(agency) AS all_agencies,
       count(*) AS events, count(DISTINCT complaint_id) AS complaints
FROM (SELECT e.kind, e.complaint_id,
             CASE WHEN e.kind = 'escalation' AND e.data->>'level' ~ '^[0-9]+$'
                  THEN (e.data->>'level')::int END AS level,
             CASE WHEN e.created_at < $2 THEN 0 ELSE 1 END AS m,
             coalesce(e.from_agency, e.to_agency, c.agency_code) AS agency
      FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id
      WHERE e.kind IN ('reopen', 'escalation') AND e.created_at >= $1 AND e.created_at < $3) ev
GROUP BY GROUPING SETS ((kind, level, m), (kind, level, m, agency))
"""

# Open at the end of each month (here $1 ends the month before, $2 the month). A complaint untouched
# since the month ended is as it is now; one changed since is read back from its timeline. One
# pass over the complaints finds both kinds (open now, or changed since the first month end).
BACKLOG = """
SELECT m, agency, GROUPING(agency) AS all_agencies, count(*) AS n
FROM (
    SELECT ends.m, CASE WHEN c.updated_at < ends.month_end THEN c.agency_code
                        ELSE last_state.to_agency END AS agency
    FROM complaint c
    JOIN (VALUES (0, $1::timestamptz), (1, $2::timestamptz)) ends (m, month_end)
      ON c.created_at < ends.month_end
    LEFT JOIN LATERAL (
        SELECT e.to_status, e.to_agency FROM complaint_event e
        WHERE c.updated_at >= ends.month_end AND e.complaint_id = c.id
          AND e.to_status IS NOT NULL AND e.created_at < ends.month_end
          AND e.created_at >= c.created_at  -- always; on a partitioned timeline, fewer months
        ORDER BY e.created_at DESC, e.id DESC LIMIT 1) last_state ON true
    WHERE c.created_at < $2
      AND (c.status IN ('received', 'assigned', 'in_progress') OR c.updated_at >= $1)
      AND CASE WHEN c.updated_at < ends.month_end
               THEN c.status IN ('received', 'assigned', 'in_progress')
               ELSE last_state.to_status IN ('received', 'assigned', 'in_progress') END
) open_at_end
GROUP BY GROUPING SETS ((m), (m, agency))
"""

# Invitations sent in a month and how many the citizen answered ("Belum" is an answer too).
SURVEYS = """
SELECT m, agency, GROUPING(agency) AS all_agencies, count(*) AS sent,
       count(*) FILTER (WHERE status IN ('answered', 'reopened')) AS responded
FROM (SELECT CASE WHEN s.sent_at < $2 THEN 0 ELSE 1 END AS m, c.agency_code AS agency, s.status
      FROM survey s JOIN complaint c ON c.id = s.complaint_id
      WHERE s.sent_at >= $1 AND s.sent_at < $3) sent
GROUP BY GROUPING SETS ((m), (m, agency))
"""

# Messages that died in a month (refused for good, or still failing when their retry time ran
# out; died_at is their next_attempt_at) and are dead still: the admin's dead letters. One
# about no complaint (the codes asked for on "Lupa kode?") counts for the city only.
UNDELIVERED = """
SELECT m, agency, GROUPING(agency) AS all_agencies, count(*) AS n
FROM (SELECT CASE WHEN o.next_attempt_at < $2 THEN 0 ELSE 1 END AS m, c.agency_code AS agency
      FROM outbox o LEFT JOIN complaint c ON c.id = o.complaint_id
      WHERE o.status = 'dead' AND o.next_attempt_at >= $1 AND o.next_attempt_at < $3) dead
GROUP BY GROUPING SETS ((m), (m, agency))
HAVING GROUPING(agency) = 1 OR agency IS NOT NULL
"""

# Per month ($1: the months as dates): each element's sum and how many answered it (an
# element not asked is NULL), and the respondents who answered at least one element; a
# response with only the first question (fixed? and a rating) is no IKM respondent.
IKM = """
SELECT month, agency_code AS agency, GROUPING(agency_code) AS all_agencies,
       count(*) FILTER (WHERE num_nonnulls(u1, u2, u3, u4, u5, u6, u7, u8, u9) > 0)
           AS respondents,
       sum(u1) AS u1, sum(u2) AS u2, sum(u3) AS u3, sum(u4) AS u4, sum(u5) AS u5,
       sum(u6) AS u6, sum(u7) AS u7, sum(u8) AS u8, sum(u9) AS u9,
       count(u1) AS n1, count(u2) AS n2, count(u3) AS n3, count(u4) AS n4, count(u5) AS n5,
       count(u6) AS n6, count(u7) AS n7, count(u8) AS n8, count(u9) AS n9
FROM survey_response
WHERE month = ANY($1::date[])
GROUP BY GROUPING SETS ((month), (month, agency_code))
"""

# Twelve months of volume for the trend chart: $1 start, $2 end, $3 the city's time zone.
TREND_RECEIVED = """
SELECT month, agency, GROUPING(agency) AS all_agencies, count(*) AS n
FROM (SELECT date_trunc('month', c.created_at AT TIME ZONE $3)::date AS month,
             c.agency_code AS agency
      FROM complaint c WHERE c.created_at >= $1 AND c.created_at < $2) received
GROUP BY GROUPING SETS ((month), (month, agency))
"""

TREND_RESOLVED = """
SELECT month, agency, GROUPING(agency) AS all_agencies, count(DISTINCT complaint_id) AS n
FROM (SELECT date_trunc('month', e.created_at AT TIME ZONE $3)::date AS month,
             e.from_agency AS agency, e.complaint_id
      FROM complaint_event e
      WHERE e.kind = 'resolve' AND e.created_at >= $1 AND e.created_at < $2) resolved
GROUP BY GROUPING SETS ((month), (month, agency))
"""

# The trend's months already counted (sql/026): $1 the months asked for.
KEPT_TREND = """
SELECT month, agency_code AS agency, all_agencies::int AS all_agencies, received, resolved
FROM report_trend_month WHERE month = ANY($1::date[])
"""

# $1 month, $2 all_agencies, $3 agency, $4 received, $5 resolved, $6 now. Two reports counting
# the same month at once keep the first count.
KEEP_TREND = """
INSERT INTO report_trend_month (month, all_agencies, agency_code, received, resolved, counted_at)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
"""

IN_RECOVERY = "SELECT pg_is_in_recovery()"

UPSERT_REPORT = """
INSERT INTO report (month, agency_code, files, generated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (month, coalesce(agency_code, '')) DO UPDATE
SET files = EXCLUDED.files, generated_at = EXCLUDED.generated_at
"""

# The parts of a month's report already written: NULL is the city-wide one.
WRITTEN_SCOPES = """
SELECT agency_code FROM report WHERE month = $1
"""

# Admins see every report; anyone else the city-wide ones and their own agency's ($1).
LIST_REPORTS = """
SELECT month, agency_code, files, generated_at FROM report
WHERE $2 OR agency_code IS NULL OR agency_code = $1
ORDER BY month DESC, agency_code NULLS FIRST
"""

FIND_FILE = """
SELECT agency_code FROM report WHERE month = $1 AND files ? $2
"""


# ------------------------------------------------------------- named reads, for the services
# Each returns the rows of the statement of the same name; arguments as described above.


async def without_jit(conn: asyncpg.Connection) -> None:
    await conn.execute(WITHOUT_JIT)


async def min_created(conn: asyncpg.Connection) -> datetime | None:
    return await conn.fetchval(MIN_CREATED)


async def received(conn: asyncpg.Connection, *bounds: Any) -> list[Record]:
    return await conn.fetch(RECEIVED, *bounds)


async def resolved(conn: asyncpg.Connection, *bounds_and_calendar: Any) -> list[Record]:
    return await conn.fetch(RESOLVED, *bounds_and_calendar)


async def first_response(conn: asyncpg.Connection, *bounds_and_calendar: Any) -> list[Record]:
    return await conn.fetch(FIRST_RESPONSE, *bounds_and_calendar)


async def sla(conn: asyncpg.Connection, *bounds_and_desk: Any) -> list[Record]:
    return await conn.fetch(SLA, *bounds_and_desk)


async def events(conn: asyncpg.Connection, *bounds: Any) -> list[Record]:
    return await conn.fetch(EVENTS, *bounds)


async def backlog(conn: asyncpg.Connection, *bounds: Any) -> list[Record]:
    return await conn.fetch(BACKLOG, *bounds)


async def surveys(conn: asyncpg.Connection, *bounds: Any) -> list[Record]:
    return await conn.fetch(SURVEYS, *bounds)


async def undelivered(conn: asyncpg.Connection, *bounds: Any) -> list[Record]:
    return await conn.fetch(UNDELIVERED, *bounds)


async def ikm(conn: asyncpg.Connection, months: list[date]) -> list[Record]:
    return await conn.fetch(IKM, months)


async def trend_received(
    conn: asyncpg.Connection, start: datetime, end: datetime, timezone: str
) -> list[Record]:
    return await conn.fetch(TREND_RECEIVED, start, end, timezone)


async def trend_resolved(
    conn: asyncpg.Connection, start: datetime, end: datetime, timezone: str
) -> list[Record]:
    return await conn.fetch(TREND_RESOLVED, start, end, timezone)


async def kept_trend(conn: asyncpg.Connection, months: list[date]) -> list[Record]:
    return await conn.fetch(KEPT_TREND, months)


async def keep_trend(conn: asyncpg.Connection, rows: list[tuple]) -> None:
    await conn.executemany(KEEP_TREND, rows)


async def on_a_standby(conn: asyncpg.Connection) -> bool:
    """A read replica (DATABASE_REPLICA_URL serves /kinerja) writes nothing."""
    return await conn.fetchval(IN_RECOVERY)


async def record_report(
    conn: asyncpg.Connection,
    month: date,
    agency: str | None,
    files: list[str],
    generated_at: datetime,
) -> None:
    await conn.execute(UPSERT_REPORT, month, agency, files, generated_at)


async def written_scopes(conn: asyncpg.Connection, month: date) -> set[str | None]:
    """The scopes (an agency's code, None for the city) whose report for `month` is stored."""
    return {row["agency_code"] for row in await conn.fetch(WRITTEN_SCOPES, month)}


async def stored_reports(
    conn: asyncpg.Connection, agency: str | None, is_admin: bool
) -> list[Record]:
    return await conn.fetch(LIST_REPORTS, agency, is_admin)


async def file_owners(conn: asyncpg.Connection, month: date, name: str) -> list[Record]:
    return await conn.fetch(FIND_FILE, month, name)
