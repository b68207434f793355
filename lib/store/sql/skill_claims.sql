-- The best claim per member and skill for members who pass the filters (lib.expertise.holders).
-- $sources / $confidences: each source's confidence; other sources count $unknown_confidence.
-- $statuses, $departments, $waves: the club_members filters; $categories: empty = all.
-- A claim a curator rejected does not count, even when the same claim is imported again.
WITH confidence AS (
    SELECT unnest($sources::VARCHAR[]) AS source, unnest($confidences::DOUBLE[]) AS confidence
),
members AS (SELECT * FROM club_members($statuses, $departments, $waves)),
claims AS (
    SELECT ps.person_id, ps.skill_id, ps.level, ps.source, ps.confirmed_on,
           coalesce(c.confidence, $unknown_confidence) AS confidence
    FROM person_skills ps
    LEFT JOIN confidence c USING (source)
    SEMI JOIN members USING (person_id)
    WHERE NOT EXISTS (
        SELECT 1 FROM claim_rejections r
        WHERE r.person_id = ps.person_id AND r.skill_id = ps.skill_id AND r.source = ps.source
          AND r.level = ps.level AND r.confirmed_on IS NOT DISTINCT FROM ps.confirmed_on
    )
),
best AS (
    SELECT person_id, skill_id, max(level) AS level,
           arg_max(source, level * 10 + confidence) AS source,
           max(confidence) AS confidence, max(confirmed_on) AS confirmed_on
    FROM claims WHERE confidence >= $min_confidence
    GROUP BY ALL
)
SELECT b.person_id, m.name, m.department, m.wave, m.status, b.skill_id,
       s.name AS skill, s.category, b.level, b.source, b.confidence, b.confirmed_on,
       coalesce(b.confirmed_on < $stale_before, TRUE) AS stale
FROM best b
JOIN skills s USING (skill_id)
JOIN members m USING (person_id)
WHERE b.level >= $min_level
  AND (len($categories::VARCHAR[]) = 0 OR list_contains($categories::VARCHAR[], s.category))
ORDER BY b.skill_id, b.level DESC, b.person_id
