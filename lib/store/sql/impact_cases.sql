-- Impact cases (lib/engagement/impact.py): every treatment of `$source` from `$first` to
-- `$last` of a filtered member in the club `$days` before and after it, with their activities
-- in the `$days` before and after, and the same for their comparison group: members of the
-- same wave and level at the end of the month before (the caller registers `member_levels`:
-- taken_on, person_id, level), in the club throughout, without a treatment of that source (of
-- the same kind when `$same_kind_only`) in those days. One row per treatment.
WITH levels AS (SELECT taken_on::DATE AS taken_on, person_id, level FROM member_levels),
members AS (
    SELECT person_id, name, department, wave FROM club_members($statuses, $departments, $waves)
),
spans AS (
    SELECT s.person_id, s.started_on, s.alumni_on
    FROM stage_dates s SEMI JOIN members mb USING (person_id)
),
window_days AS (SELECT $days::INTEGER AS days),
chosen AS (SELECT * FROM treatments WHERE source = $source),
cases AS (
    SELECT t.person_id, t.event_id, t.treated_on, t.kind, mb.wave,
           (date_trunc('month', t.treated_on) - INTERVAL 1 DAY)::DATE AS level_on
    FROM chosen t
    JOIN members mb USING (person_id)
    JOIN spans s USING (person_id)
    CROSS JOIN window_days w
    WHERE t.treated_on >= $first AND t.treated_on <= $last
      AND s.started_on <= t.treated_on - w.days
      AND (s.alumni_on IS NULL OR s.alumni_on >= t.treated_on + w.days)
),
case_levels AS (
    SELECT c.*, l.level FROM cases c
    JOIN levels l ON l.person_id = c.person_id AND l.taken_on = c.level_on
),
-- A comparison group depends on the case's kind only when `$same_kind_only`.
cells AS (
    SELECT DISTINCT treated_on, CASE WHEN $same_kind_only THEN kind ELSE '' END AS cell_kind,
           wave, level_on, level
    FROM case_levels
),
peers AS (
    SELECT c.treated_on, c.cell_kind, c.wave, c.level, l.person_id AS peer_id
    FROM cells c
    CROSS JOIN window_days w
    JOIN levels l ON l.taken_on = c.level_on AND l.level = c.level
    JOIN members pm ON pm.person_id = l.person_id AND pm.wave = c.wave
    JOIN spans s ON s.person_id = l.person_id
    WHERE s.started_on <= c.treated_on - w.days
      AND (s.alumni_on IS NULL OR s.alumni_on >= c.treated_on + w.days)
      AND NOT EXISTS (
          SELECT 1 FROM chosen t
          WHERE t.person_id = l.person_id
            AND (NOT $same_kind_only OR t.kind = c.cell_kind)
            AND t.treated_on > c.treated_on - w.days AND t.treated_on < c.treated_on + w.days
      )
),
lookups AS (
    SELECT DISTINCT person_id, treated_on FROM case_levels
    UNION
    SELECT DISTINCT peer_id, treated_on FROM peers
),
daily AS (
    SELECT a.person_id, a.occurred_on, count(*) AS n
    FROM activities a SEMI JOIN (SELECT DISTINCT person_id FROM lookups) l USING (person_id)
    GROUP BY ALL
),
-- Activities before a day = the running total at a mark for that day, placed before the day's
-- own activities: one sort of marks and daily counts per person, no join. (Marks of one day
-- tie, and add 0.)
marks AS (
    SELECT l.person_id, l.treated_on, b.step, l.treated_on + b.step * w.days AS day,
           0 AS n, 0 AS is_activity
    FROM lookups l CROSS JOIN window_days w
    CROSS JOIN (SELECT * FROM (VALUES (-1), (0), (1))) b(step)
    UNION ALL
    SELECT person_id, NULL, NULL, occurred_on, n, 1 FROM daily
),
totals AS (
    SELECT person_id, treated_on, step, total
    FROM (
        SELECT *, sum(n) OVER (PARTITION BY person_id ORDER BY day, is_activity) AS total
        FROM marks
    )
    WHERE is_activity = 0
),
counts AS (
    SELECT person_id, treated_on,
           max(total) FILTER (WHERE step = 0) - max(total) FILTER (WHERE step = -1) AS before,
           max(total) FILTER (WHERE step = 1) - max(total) FILTER (WHERE step = 0) AS after
    FROM totals GROUP BY ALL
),
peer_change AS (
    SELECT p.treated_on, p.cell_kind, p.wave, p.level, count(*) AS peers,
           avg(k.before) AS peer_before, avg(k.after) AS peer_after
    FROM peers p
    JOIN counts k ON k.person_id = p.peer_id AND k.treated_on = p.treated_on
    GROUP BY ALL
)
SELECT c.person_id, mb.name, mb.department, c.wave, c.event_id, c.treated_on, c.kind, c.level,
       k.before, k.after, coalesce(pc.peers, 0) AS peers, pc.peer_before, pc.peer_after,
       (k.after - k.before) - (pc.peer_after - pc.peer_before) AS effect
FROM case_levels c
JOIN members mb USING (person_id)
JOIN counts k ON k.person_id = c.person_id AND k.treated_on = c.treated_on
LEFT JOIN peer_change pc
  ON pc.treated_on = c.treated_on AND pc.wave = c.wave
 AND pc.cell_kind = CASE WHEN $same_kind_only THEN c.kind ELSE '' END
 AND pc.level = c.level
ORDER BY c.treated_on, c.event_id NULLS FIRST, c.person_id, c.kind
