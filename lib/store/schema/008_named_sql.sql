-- Named SQL the core reuses by reference instead of splicing copies into queries.

-- Club members who pass the global filters: empty lists mean "all".
-- club_members(['active'], [], []) — statuses, departments, waves.
CREATE OR REPLACE MACRO club_members(statuses, departments, waves) AS TABLE
    SELECT m.person_id, p.name, p.department, m.wave, m.status, m.joined_on, m.left_on,
           m.exit_reason
    FROM memberships m JOIN people p USING (person_id)
    WHERE (len(statuses) = 0 OR list_contains(statuses, m.status))
      AND (len(departments) = 0 OR list_contains(departments, p.department))
      AND (len(waves) = 0 OR list_contains(waves, m.wave));

-- Every status change: membership_events, and for a member without any recorded event their
-- memberships row stands in (joined_on as the start of their current stage, left_on as the
-- day they became alumni).
CREATE OR REPLACE VIEW status_history AS
    SELECT e.person_id, e.changed_on, e.to_status FROM membership_events e
    UNION ALL
    SELECT m.person_id, m.joined_on,
           CASE WHEN m.status IN ('candidate', 'onboarding') THEN m.status ELSE 'active' END
    FROM memberships m
    WHERE m.joined_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.person_id = m.person_id)
    UNION ALL
    SELECT m.person_id, m.left_on, 'alumni'
    FROM memberships m
    WHERE m.status = 'alumni' AND m.left_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.person_id = m.person_id);

-- The first day each member reached each stage.
CREATE OR REPLACE VIEW stage_dates AS
    SELECT h.person_id,
           min(h.changed_on) FILTER (WHERE h.to_status = 'candidate') AS candidate_on,
           min(h.changed_on) FILTER (WHERE h.to_status = 'onboarding') AS onboarding_on,
           min(h.changed_on) FILTER (WHERE h.to_status = 'active') AS active_on,
           min(h.changed_on) FILTER (WHERE h.to_status = 'alumni') AS alumni_on,
           least(min(h.changed_on) FILTER (WHERE h.to_status = 'onboarding'),
                 min(h.changed_on) FILTER (WHERE h.to_status = 'active')) AS started_on
    FROM status_history h
    GROUP BY h.person_id;
