-- The second-wave candidates and the skills that make them worth proposing (lib.recruitment.pool):
-- target skills held at the required level (closes) and skills no active member of the filtered
-- club holds, held at $unique_min_level or above (unique_skill).
-- Candidates: employed people who are not club members (alumni too when $include_alumni), less
-- $excluded; eligible: at least $min_hours in their latest capacity month up to $as_of and in
-- $departments (empty = all). Rows cover eligible and $pinned people; each pinned person also
-- gets one row without a skill. Every row carries pool_size, the number of eligible candidates;
-- when there are no rows at all, a single row without a person still does.
WITH latest AS (
    SELECT person_id, arg_max(hours_available, month) AS hours_available
    FROM capacity WHERE month <= $as_of GROUP BY person_id
),
pool AS (
    SELECT p.person_id, coalesce(p.department, $no_department) AS department,
           coalesce(l.hours_available, 0) AS hours_available,
           coalesce(
               l.hours_available >= $min_hours
               AND (len($departments::VARCHAR[]) = 0
                    OR list_contains($departments::VARCHAR[], p.department)),
               FALSE
           ) AS eligible
    FROM people p
    LEFT JOIN memberships m USING (person_id)
    LEFT JOIN latest l USING (person_id)
    WHERE p.employed
      AND (m.person_id IS NULL OR (m.status = 'alumni' AND $include_alumni))
      AND NOT list_contains($excluded::VARCHAR[], p.person_id)
),
chosen AS (
    SELECT * FROM pool WHERE eligible OR list_contains($pinned::VARCHAR[], person_id)
),
club AS (
    SELECT DISTINCT ps.skill_id
    FROM person_skills ps
    SEMI JOIN club_members($statuses, $departments, $waves) USING (person_id)
),
wanted AS (
    SELECT w.skill_id, w.min_level, c.skill_id IS NULL AS unheld
    FROM (
        SELECT skill_id, max(min_level) AS min_level
        FROM (
            SELECT skill_id, min_level FROM target_profile
            UNION ALL
            SELECT skill_id, NULL FROM skills
        )
        GROUP BY skill_id
    ) w
    LEFT JOIN club c USING (skill_id)
    WHERE w.min_level IS NOT NULL OR c.skill_id IS NULL
),
relevant AS (
    SELECT ps.person_id, ps.skill_id,
           coalesce(max(ps.level) >= any_value(w.min_level), FALSE) AS closes,
           any_value(w.unheld) AND max(ps.level) >= $unique_min_level AS unique_skill
    FROM person_skills ps
    JOIN wanted w USING (skill_id)
    SEMI JOIN chosen USING (person_id)
    GROUP BY ps.person_id, ps.skill_id
),
candidate_rows AS (
    SELECT ch.person_id, ch.department, ch.hours_available, ch.eligible,
           r.skill_id, r.closes, r.unique_skill
    FROM relevant r JOIN chosen ch USING (person_id)
    WHERE r.closes OR r.unique_skill
    UNION ALL
    SELECT person_id, department, hours_available, eligible, NULL, FALSE, FALSE
    FROM chosen WHERE list_contains($pinned::VARCHAR[], person_id)
)
SELECT c.*, s.pool_size
FROM (SELECT count(*) AS pool_size FROM pool WHERE eligible) s
LEFT JOIN candidate_rows c ON TRUE
