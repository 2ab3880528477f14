-- Issue 15, delivery that survives outages. A message is retried for a time (LAPOR_OUTBOX_RETRY_DAYS)
-- rather than a number of attempts, counted from when it was queued or, after the admin put a
-- dead one back, from then. Replies to one chat go out in order: the dispatcher claims only the
-- oldest pending message of each (channel, recipient), which this index finds at once.
ALTER TABLE outbox ADD COLUMN retried_at timestamptz;
CREATE INDEX outbox_pending_chat ON outbox (channel, recipient, id) WHERE status = 'pending';
-- The admin's dead letters, newest first.
CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead';
