-- Workload-adjusted engagement of every club member at each snapshot day (SPEC.md §2);
-- lib/engagement/scoring.py explains the formula. One row per member and snapshot day.
-- Parameters: $statuses, $departments, $waves (the club_members macro), $snapshot_days,
-- $weight_kinds and $weight_values (kind weights, side by side), $window_days, $half_life,
-- $default_hours, $rate, $min_expected, $min_expected_floor, $min_hours (the capacity floor),
-- $index_cap, $dormant_days, $core_index, $active_index.
WITH weights AS (
    SELECT unnest($weight_kinds::VARCHAR[]) AS kind,
           unnest($weight_values::DOUBLE[]) AS weight
),
snapshots AS (SELECT unnest($snapshot_days::DATE[]) AS taken_on),
members AS (
    SELECT person_id, name, department, wave, status
    FROM club_members($statuses, $departments, $waves)
),
params AS (
    SELECT $window_days::INTEGER AS window_days, $half_life::DOUBLE AS half_life,
           $default_hours::DOUBLE AS default_hours, $rate::DOUBLE AS rate,
           $min_expected::DOUBLE AS min_expected,
           $min_expected_floor::DOUBLE AS min_expected_floor,
           $min_hours::DOUBLE AS min_hours, $index_cap::DOUBLE AS index_cap,
           $dormant_days::INTEGER AS dormant_days, $core_index::DOUBLE AS core_index,
           $active_index::DOUBLE AS active_index
),
earned AS (
    SELECT s.taken_on, a.person_id,
           sum(coalesce(w.weight, 0)
               * (1 + log10(1 + greatest(coalesce(a.audience, 0), 0)) / 2)
               * pow(0.5, date_diff('day', a.occurred_on, s.taken_on) / pr.half_life)
           ) AS points,
           count(*) AS activities
    FROM activities a
    SEMI JOIN members mb ON mb.person_id = a.person_id
    JOIN snapshots s
      ON a.occurred_on > s.taken_on - (SELECT window_days FROM params)
     AND a.occurred_on <= s.taken_on
    CROSS JOIN params pr
    LEFT JOIN weights w ON w.kind = a.kind
    GROUP BY ALL
),
seen AS (
    SELECT s.taken_on, a.person_id, max(a.occurred_on) AS last_contribution
    FROM activities a
    SEMI JOIN members mb ON mb.person_id = a.person_id
    JOIN snapshots s ON a.occurred_on <= s.taken_on
    GROUP BY ALL
),
window_months AS (
    SELECT taken_on, first_day, month::DATE AS month,
           date_diff('day', greatest(month::DATE, first_day),
                     least((month + INTERVAL 1 MONTH)::DATE, taken_on + 1)) AS overlap,
           date_diff('day', month::DATE, (month + INTERVAL 1 MONTH)::DATE) AS month_days
    FROM (
        SELECT taken_on, taken_on - (SELECT window_days FROM params) + 1 AS first_day,
               unnest(generate_series(
                   date_trunc('month', taken_on - (SELECT window_days FROM params) + 1),
                   date_trunc('month', taken_on), INTERVAL 1 MONTH)) AS month
        FROM snapshots
    )
),
monthly_capacity AS (
    SELECT person_id, date_trunc('month', month)::DATE AS month,
           avg(hours_available) AS hours_available
    FROM capacity
    WHERE hours_available IS NOT NULL
    GROUP BY ALL
),
hours AS (
    SELECT wm.taken_on, mb.person_id,
           sum(coalesce(c.hours_available, pr.default_hours) * wm.overlap / wm.month_days)
               AS hours_available,
           count(c.hours_available) AS reported_months, count(*) AS months
    FROM window_months wm
    CROSS JOIN members mb
    CROSS JOIN params pr
    LEFT JOIN monthly_capacity c ON c.person_id = mb.person_id AND c.month = wm.month
    GROUP BY ALL
),
scored AS (
    SELECT h.taken_on, mb.*, coalesce(e.points, 0) AS points,
           coalesce(e.activities, 0) AS activities, h.hours_available,
           greatest(pr.min_expected, greatest(h.hours_available, pr.min_hours) * pr.rate,
                    pr.min_expected_floor) AS expected,
           sn.last_contribution,
           CASE WHEN h.reported_months = h.months THEN 'reported'
                WHEN h.reported_months = 0 THEN 'default' ELSE 'partial' END
               AS capacity_flag,
           sn.last_contribution IS NULL
               OR sn.last_contribution <= h.taken_on - pr.dormant_days AS dormant
    FROM hours h
    JOIN members mb USING (person_id)
    CROSS JOIN params pr
    LEFT JOIN earned e ON e.person_id = h.person_id AND e.taken_on = h.taken_on
    LEFT JOIN seen sn ON sn.person_id = h.person_id AND sn.taken_on = h.taken_on
)
SELECT s.*, least(s.points / s.expected, pr.index_cap) AS index,
       CASE WHEN s.dormant THEN 'dormant'
            WHEN s.points / s.expected >= pr.core_index THEN 'core'
            WHEN s.points / s.expected >= pr.active_index THEN 'active'
            ELSE 'contributing' END AS level
FROM scored s CROSS JOIN params pr
