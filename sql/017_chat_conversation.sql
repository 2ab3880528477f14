-- A conversation fit for chat (issue 16 §2): what a citizen sends about a complaint after
-- filing it, and a survey that asks one question first and the IKM elements only on request.

-- A photo the reporter sent in the chat after filing, with their note (a `citizen_note`
-- event, internal): its officers and the reporter see it, the public never. It takes the
-- positions after the reporter's first five, beside the officers' proof photos.
ALTER TABLE complaint_photo ADD COLUMN by_reporter boolean NOT NULL DEFAULT false;
ALTER TABLE complaint_photo ADD CONSTRAINT complaint_photo_by_reporter_with_note
    CHECK (NOT by_reporter OR event_id IS NOT NULL);

-- The survey's first question: fixed? and, when it is, an overall rating 1-4; recorded at
-- once ("tidak tahu" carries no rating). The nine elements follow only when the citizen takes
-- up the offer, and only those that apply to the complaint's category ([survey.elements] in
-- the city file): an element not asked or not answered is NULL, and the IKM counts each
-- element over the respondents who answered it (lapor/ikm.py).
ALTER TABLE survey_response
    ADD COLUMN rating smallint CHECK (rating BETWEEN 1 AND 4),
    ALTER COLUMN u1 DROP NOT NULL,
    ALTER COLUMN u2 DROP NOT NULL,
    ALTER COLUMN u3 DROP NOT NULL,
    ALTER COLUMN u4 DROP NOT NULL,
    ALTER COLUMN u5 DROP NOT NULL,
    ALTER COLUMN u6 DROP NOT NULL,
    ALTER COLUMN u7 DROP NOT NULL,
    ALTER COLUMN u8 DROP NOT NULL,
    ALTER COLUMN u9 DROP NOT NULL;

-- While the citizen answers the elements, the survey points at the response that receives
-- them; the link is cleared when the survey ends, so an anonim reporter's response is then
-- again tied to nothing (as the partial scores were before). Step 11: the offer of the
-- questionnaire, after the first question.
ALTER TABLE survey
    ADD COLUMN response_id uuid REFERENCES survey_response (id),
    DROP CONSTRAINT survey_step_check,
    ADD CONSTRAINT survey_step_check CHECK (step BETWEEN 0 AND 11);

-- A chat's most recent open complaint, found for every message sent after filing.
CREATE INDEX complaint_reporter_open ON complaint (reporter_id, created_at DESC)
    WHERE status IN ('received', 'assigned', 'in_progress');
