-- Chat-bot conversations: one row per (channel, chat), holding the citizen's language, where
-- the dialogue stands and the report being drafted; and the deliveries already processed,
-- so a message the channel delivers twice (or a hundred times at once) is handled once.

CREATE TABLE bot_conversation (
    channel    text NOT NULL CHECK (channel IN ('telegram', 'whatsapp')),
    chat_id    text NOT NULL CHECK (char_length(chat_id) BETWEEN 1 AND 100),
    language   text NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
    state      text NOT NULL DEFAULT 'idle' CHECK (state IN
                 ('idle', 'describing', 'location', 'photos', 'rahasia', 'anonim', 'confirm',
                  'editing')),
    -- text, location, photo hashes and privacy choices of the report being written
    draft      jsonb,
    -- a draft left alone this long is dropped (and the citizen told once)
    expires_at timestamptz,
    -- numbers this chat's drafts: the draft id in button data and in the idempotency key
    drafts_started integer NOT NULL DEFAULT 0 CHECK (drafts_started >= 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (channel, chat_id),
    CONSTRAINT draft_matches_state CHECK ((state = 'idle') = (draft IS NULL)),
    CONSTRAINT draft_expires CHECK ((draft IS NULL) = (expires_at IS NULL))
);
CREATE INDEX bot_conversation_expiry ON bot_conversation (expires_at) WHERE draft IS NOT NULL;

-- Telegram update_id / WhatsApp message id of every delivery handled; the primary key is what
-- makes a redelivery a no-op. Old rows are pruned (channels stop redelivering within a day).
CREATE TABLE bot_delivery (
    channel     text NOT NULL CHECK (channel IN ('telegram', 'whatsapp')),
    message_id  text NOT NULL CHECK (char_length(message_id) BETWEEN 1 AND 200),
    received_at timestamptz NOT NULL,
    PRIMARY KEY (channel, message_id)
);
CREATE INDEX bot_delivery_age ON bot_delivery (received_at);
