-- A member without any recorded status change keeps the status they have now from the day
-- they joined (a paused member was counted active before); alumni were active until they left.
CREATE OR REPLACE VIEW status_history AS
    SELECT e.person_id, e.changed_on, e.to_status FROM membership_events e
    UNION ALL
    SELECT m.person_id, m.joined_on,
           CASE WHEN m.status = 'alumni' THEN 'active' ELSE m.status END
    FROM memberships m
    WHERE m.joined_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.person_id = m.person_id)
    UNION ALL
    SELECT m.person_id, m.left_on, 'alumni'
    FROM memberships m
    WHERE m.status = 'alumni' AND m.left_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.person_id = m.person_id);

-- Pausing is only possible after being active, so a pause also marks reaching the active stage.
CREATE OR REPLACE VIEW stage_dates AS
    SELECT h.person_id,
           min(h.changed_on) FILTER (WHERE h.to_status = 'candidate') AS candidate_on,
           min(h.changed_on) FILTER (WHERE h.to_status = 'onboarding') AS onboarding_on,
           min(h.changed_on) FILTER (WHERE h.to_status IN ('active', 'paused')) AS active_on,
           min(h.changed_on) FILTER (WHERE h.to_status = 'alumni') AS alumni_on,
           least(min(h.changed_on) FILTER (WHERE h.to_status = 'onboarding'),
                 min(h.changed_on) FILTER (WHERE h.to_status IN ('active', 'paused')))
               AS started_on
    FROM status_history h
    GROUP BY h.person_id;
