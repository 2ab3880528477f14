-- Issue 14, what the citizens' trust still needed: photos hidden by moderation, officer API
-- tokens that expire, reporter tokens the reporter can revoke, and the erasure of reporters'
-- contact details (after the city's retention period, or on request).

-- A photo an officer hid from the public (the reason is the 'moderate' event). The file and
-- the row stay: officers still see it, and hiding is never deleting.
ALTER TABLE complaint_photo ADD COLUMN hidden_at timestamptz;

-- Officer API tokens end at expires_at (lapor.auth.TOKEN_LIFETIME from when they were issued,
-- LAPOR_TOKEN_DAYS). Tokens issued before this migration get the default lifetime from now,
-- so an upgrade does not lock the API's users out at once.
ALTER TABLE api_token ADD COLUMN expires_at timestamptz;
UPDATE api_token SET expires_at = now() + interval '30 days';
ALTER TABLE api_token ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX api_token_officer_live ON api_token (officer_id) WHERE revoked_at IS NULL;

-- A reporter's access token is an HMAC of the tracking code and this number; the reporter
-- revokes the token they hold by moving it on (0: the token handed out before 013).
ALTER TABLE complaint ADD COLUMN reporter_token_version integer NOT NULL DEFAULT 0
    CHECK (reporter_token_version >= 0);

-- When the reporter's contact details (and the personal data in the original text) were
-- erased: by the retention job after [privacy] retain_contacts_days, or by `lapor privacy
-- erase`. The complaint itself stays, anonymised.
ALTER TABLE complaint ADD COLUMN contacts_erased_at timestamptz;
CREATE INDEX complaint_retention ON complaint ((coalesce(closed_at, updated_at)))
    WHERE contacts_erased_at IS NULL AND status IN ('closed', 'rejected');
