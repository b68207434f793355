-- Second signals for the places a second wave still has once no candidate closes an open gap
-- (lib.recruitment.bench). For every eligible candidate — employed, not a member (alumni when
-- $include_alumni), at least $min_hours in their latest capacity month up to $as_of, in
-- $departments (empty = all), not in $taken or $excluded:
--   near_gaps    open target skills ($gap_skills at $gap_levels) held one level below the need,
--   near_weight  their priority weights ($gap_weights) summed,
--   rare_skills  skills held at $unique_min_level or above that at most one active member of the
--                whole club holds at that level (the club, never the filtered view),
--   events       club events attended in the twelve months up to $as_of.
WITH latest AS (
    SELECT person_id, arg_max(hours_available, month) AS hours_available
    FROM capacity WHERE month <= $as_of GROUP BY person_id
),
pool AS (
    SELECT p.person_id, coalesce(p.department, $no_department) AS department,
           l.hours_available
    FROM people p
    LEFT JOIN memberships m USING (person_id)
    JOIN latest l USING (person_id)
    WHERE p.employed
      AND (m.person_id IS NULL OR (m.status = 'alumni' AND $include_alumni))
      AND l.hours_available >= $min_hours
      AND (len($departments::VARCHAR[]) = 0
           OR list_contains($departments::VARCHAR[], p.department))
      AND NOT list_contains($excluded::VARCHAR[], p.person_id)
      AND NOT list_contains($taken::VARCHAR[], p.person_id)
),
gaps AS (
    SELECT unnest($gap_skills::VARCHAR[]) AS skill_id,
           unnest($gap_levels::INTEGER[]) AS min_level,
           unnest($gap_weights::DOUBLE[]) AS weight
),
best AS (
    SELECT person_id, skill_id, max(level) AS level
    FROM person_skills SEMI JOIN pool USING (person_id)
    GROUP BY ALL
),
near AS (
    SELECT b.person_id, list(b.skill_id ORDER BY g.weight DESC, b.skill_id) AS near_gaps,
           sum(g.weight) AS near_weight
    FROM best b JOIN gaps g USING (skill_id)
    WHERE b.level = g.min_level - 1
    GROUP BY b.person_id
),
club_holders AS (
    SELECT ps.skill_id, count(DISTINCT ps.person_id) AS holders
    FROM person_skills ps
    SEMI JOIN club_members(['active'], [], []) USING (person_id)
    WHERE ps.level >= $unique_min_level
    GROUP BY ps.skill_id
),
rare AS (
    SELECT b.person_id, list(b.skill_id ORDER BY b.skill_id) AS rare_skills
    FROM best b LEFT JOIN club_holders h USING (skill_id)
    WHERE b.level >= $unique_min_level AND coalesce(h.holders, 0) <= 1
    GROUP BY b.person_id
),
attended AS (
    SELECT a.person_id, count(DISTINCT a.event_id) AS events
    FROM attendance a JOIN events e USING (event_id)
    WHERE e.date > $as_of - INTERVAL 365 DAY AND e.date <= $as_of
    GROUP BY a.person_id
)
SELECT pool.person_id, pool.department, pool.hours_available,
       coalesce(near.near_gaps, []) AS near_gaps, coalesce(near.near_weight, 0) AS near_weight,
       coalesce(rare.rare_skills, []) AS rare_skills, coalesce(attended.events, 0) AS events
FROM pool
LEFT JOIN near USING (person_id)
LEFT JOIN rare USING (person_id)
LEFT JOIN attended USING (person_id)
