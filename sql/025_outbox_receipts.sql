-- Issue 16: what a channel later says of a message it accepted. WhatsApp answers a send with
-- the message's id (wamid) and reports, in its webhook's `statuses`, whether it was sent,
-- delivered, read or failed; a failure (131047 window closed, 131026 undeliverable) comes
-- there, after the outbox marked the message sent. One row per id the channel gave, pointing
-- at the outbox message (by id and created_at: the outbox is partitioned by month, so no
-- foreign key), with the last status heard, the error, and what lapor did about a failure:
-- resent it as its template, rerouted it to SMS, or made it a dead letter. No recipient, no
-- text: nothing here names the citizen.
CREATE TABLE outbox_receipt (
    provider_id       text PRIMARY KEY CHECK (char_length(provider_id) BETWEEN 1 AND 200),
    channel           text NOT NULL CHECK (channel IN ('telegram', 'whatsapp', 'email', 'sms')),
    outbox_id         bigint NOT NULL,
    outbox_created_at timestamptz NOT NULL,
    status            text NOT NULL DEFAULT 'accepted'
                      CHECK (status IN ('accepted', 'sent', 'delivered', 'read', 'failed')),
    error_code        integer,
    error             text CHECK (char_length(error) <= 1000),
    action            text CHECK (action IN ('template', 'sms', 'dead', 'dropped')),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX outbox_receipt_message ON outbox_receipt (outbox_id);
