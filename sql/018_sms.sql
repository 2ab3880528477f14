-- SMS, the third chat channel (bots/sms.py): its complaints, reporters, conversations,
-- deliveries, outbox messages and surveys. An SMS chat is the citizen's number in E.164
-- digits without the plus ("6281234567890"), as a WhatsApp chat is.

ALTER TABLE reporter DROP CONSTRAINT reporter_channel_check,
    ADD CONSTRAINT reporter_channel_check
        CHECK (channel IN ('web', 'telegram', 'whatsapp', 'sms'));
ALTER TABLE complaint DROP CONSTRAINT complaint_channel_check,
    ADD CONSTRAINT complaint_channel_check
        CHECK (channel IN ('web', 'telegram', 'whatsapp', 'sms'));
ALTER TABLE bot_conversation DROP CONSTRAINT bot_conversation_channel_check,
    ADD CONSTRAINT bot_conversation_channel_check
        CHECK (channel IN ('telegram', 'whatsapp', 'sms'));
ALTER TABLE bot_delivery DROP CONSTRAINT bot_delivery_channel_check,
    ADD CONSTRAINT bot_delivery_channel_check
        CHECK (channel IN ('telegram', 'whatsapp', 'sms'));
ALTER TABLE outbox DROP CONSTRAINT outbox_channel_check,
    ADD CONSTRAINT outbox_channel_check
        CHECK (channel IN ('telegram', 'whatsapp', 'email', 'sms'));
ALTER TABLE survey DROP CONSTRAINT survey_channel_check,
    ADD CONSTRAINT survey_channel_check
        CHECK (channel IN ('telegram', 'whatsapp', 'email', 'sms'));

-- A channel without buttons shows a message's choices as a numbered list; the data of the
-- last list the chat was sent, in order, so that a reply "2" is the second choice
-- (lapor/repo/numbered_choices.py). It goes with the conversation (an erased person's too).
ALTER TABLE bot_conversation ADD COLUMN numbered_choices jsonb
    CHECK (numbered_choices IS NULL OR jsonb_typeof(numbered_choices) = 'array');
