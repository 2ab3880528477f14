-- Personal data typed into the text (lapor/privacy.py): the public copy of each complaint's
-- title and text, with NIKs, phone numbers, e-mail addresses, bank accounts, the reporter's
-- plate and name replaced by placeholders at intake. `title` and `body` stay as the citizen
-- wrote them, for officers only; officers may edit the public copy (a 'moderate' event).
-- NULL until filled: complaints filed before this migration get theirs from
-- `moderation.backfill_public_copies`, which every `lapor` command runs after the migrations;
-- until then the public sees no text of theirs.
ALTER TABLE complaint ADD COLUMN public_title text, ADD COLUMN public_body text;
CREATE INDEX complaint_public_copy_missing ON complaint (id) WHERE public_body IS NULL;

-- When an officer first verified the complaint: the desk's verify, or the agency taking up a
-- complaint the model routed to it (start, respond, resolve, transfer). Routing by the model
-- is not a verification. Under the city's [privacy] publish = "after_verification" a
-- complaint's text, location and photos are public only from then.
ALTER TABLE complaint ADD COLUMN verified_at timestamptz;
UPDATE complaint c SET verified_at = first.at
FROM (SELECT complaint_id, min(created_at) AS at FROM complaint_event
      WHERE actor_kind = 'officer' AND kind IN ('verify', 'transfer', 'start', 'respond', 'resolve')
      GROUP BY complaint_id) first
WHERE first.complaint_id = c.id;

-- The moderation log reads the officers' edits of public copies, newest first.
CREATE INDEX complaint_event_moderation ON complaint_event (id) WHERE kind = 'moderate';
