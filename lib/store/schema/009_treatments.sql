-- Treatments whose impact on activity is measured (lib/engagement/impact.py): a recognition,
-- or attending an event. One row per member and treatment; `event_id` only for events.
CREATE OR REPLACE VIEW treatments AS
    SELECT 'recognition' AS source, r.person_id, NULL::VARCHAR AS event_id,
           r.date AS treated_on, r.kind
    FROM recognitions r
    UNION ALL
    SELECT 'event', a.person_id, e.event_id, e.date, e.kind
    FROM attendance a JOIN events e USING (event_id);
