-- Issue 16, reaching citizens: WhatsApp inside Meta's rules, and web reporters.

-- Meta delivers free-form messages only within 24 hours of the citizen's last message to the
-- business number (the customer-service window); later notices go as approved templates.
-- One row per WhatsApp chat: when its citizen last wrote (the message's own timestamp, never
-- later than its arrival). The outbox's WhatsApp sender reads it at send time. Rows older than
-- the window say nothing more and are pruned (lapor.whatsapp_window.prune): a phone number is
-- personal data, kept no longer than it is useful.
CREATE TABLE whatsapp_window (
    wa_id           text PRIMARY KEY CHECK (wa_id ~ '^[0-9]{5,20}$'),
    last_inbound_at timestamptz NOT NULL
);
CREATE INDEX whatsapp_window_age ON whatsapp_window (last_inbound_at);

-- 'dropped': a message that can no longer go out in any form and that no person could send
-- either (a chat reply whose WhatsApp window closed before it went out, with no template form).
-- Unlike 'dead' it is not the admin's to retry; its reason stays in last_error.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'dead', 'dropped'));

-- "Lupa kode?": a citizen types the phone or e-mail they reported with. The same comparison
-- as `lapor privacy` (lapor/repo/erasure.py): digits, an Indonesian 0... as 62...; e-mail
-- addresses without regard to case.
CREATE INDEX reporter_phone_digits
    ON reporter ((regexp_replace(regexp_replace(coalesce(phone, ''), '\D', '', 'g'), '^0', '62')))
    WHERE phone IS NOT NULL;
CREATE INDEX reporter_email_lower ON reporter ((lower(email))) WHERE email IS NOT NULL;
