-- The action-plan constructor: a catalogue of mechanics, saved plans and their tracked lines.

-- One row per mechanic. Seeded rows have a stable mechanic_id translated through the locale
-- (plan.mechanic_<id>); curators may add their own with a name. Goal columns hold how strongly
-- the mechanic serves each goal (0-1); default_effect is the expected extra activities per
-- targeted member in the 60 days after; evidence names the history that can replace it
-- ('recognition:<kind>' or 'event:<kind>', several separated by commas).
CREATE TABLE plan_mechanics (
    mechanic_id           VARCHAR PRIMARY KEY,
    position              INTEGER NOT NULL,
    name                  VARCHAR,
    seeded                BOOLEAN NOT NULL DEFAULT FALSE,
    active                BOOLEAN NOT NULL DEFAULT TRUE,
    target_rule           VARCHAR NOT NULL,
    max_people            INTEGER,
    fixed_cost            DOUBLE NOT NULL DEFAULT 0,
    cost_per_person       DOUBLE NOT NULL DEFAULT 0,
    fixed_hours           DOUBLE NOT NULL DEFAULT 0,
    hours_per_person      DOUBLE NOT NULL DEFAULT 0,
    default_effect        DOUBLE NOT NULL DEFAULT 0,
    evidence              VARCHAR,
    revive_dormant        DOUBLE NOT NULL DEFAULT 0,
    onboarding_conversion DOUBLE NOT NULL DEFAULT 0,
    skill_growth          DOUBLE NOT NULL DEFAULT 0,
    external_visibility   DOUBLE NOT NULL DEFAULT 0,
    retention             DOUBLE NOT NULL DEFAULT 0,
    changed_at            TIMESTAMP NOT NULL DEFAULT current_timestamp,
    changed_by            VARCHAR
);

INSERT INTO plan_mechanics (
    mechanic_id, position, seeded, target_rule, max_people, fixed_cost, cost_per_person,
    fixed_hours, hours_per_person, default_effect, evidence, revive_dormant,
    onboarding_conversion, skill_growth, external_visibility, retention
) VALUES
    ('onboarding_day', 1, TRUE, 'newcomers', 40, 150000, 3000, 16, 0.5, 2.0,
     'event:onboarding_day', 0, 1.0, 0.2, 0, 0.4),
    ('buddy', 2, TRUE, 'newcomers', NULL, 0, 5000, 2, 3, 2.5,
     NULL, 0, 1.0, 0.3, 0, 0.5),
    ('generation_session', 3, TRUE, 'sole_holders', 30, 200000, 2000, 12, 0.5, 2.5,
     'event:generation_session', 0.2, 0, 1.0, 0.2, 0.4),
    ('demo_day', 4, TRUE, 'active_members', 60, 400000, 3000, 24, 0.5, 2.0,
     'event:demo_day', 0, 0, 0.3, 0.8, 0.5),
    ('offsite', 5, TRUE, 'active_members', 40, 1200000, 25000, 40, 1, 3.0,
     'event:offsite', 0.3, 0, 0.3, 0, 1.0),
    ('personalised_merch', 6, TRUE, 'not_recognised', NULL, 30000, 4500, 4, 0.25, 1.5,
     'recognition:merch', 0.3, 0, 0, 0, 0.7),
    ('public_recognition', 7, TRUE, 'not_recognised', NULL, 0, 10000, 2, 0.5, 2.0,
     'recognition:award,recognition:thanks', 0.2, 0, 0, 0.3, 0.8),
    ('sponsored_conference', 8, TRUE, 'with_capacity', 10, 0, 90000, 2, 2, 4.0,
     'recognition:sponsored_conference', 0, 0, 0.5, 1.0, 0.4),
    ('speaker_training', 9, TRUE, 'with_capacity', 15, 250000, 15000, 8, 1, 2.5,
     NULL, 0, 0, 0.6, 0.8, 0.2),
    ('content_sprint', 10, TRUE, 'dormant_with_capacity', 20, 60000, 5000, 10, 1, 2.0,
     NULL, 0.8, 0, 0.2, 0.6, 0.2),
    ('one_to_one', 11, TRUE, 'at_risk', NULL, 0, 0, 0, 1.5, 1.5,
     NULL, 0.6, 0, 0, 0, 1.0),
    ('offboarding_conversation', 12, TRUE, 'paused', NULL, 0, 0, 0, 1.5, 0.5,
     NULL, 0.3, 0, 0, 0, 0.6);

-- A saved plan: its name, horizon, limits and the goal weights it was built with (JSON).
CREATE SEQUENCE plan_id_seq START 1;
CREATE TABLE plans (
    plan_id       INTEGER PRIMARY KEY DEFAULT nextval('plan_id_seq'),
    name          VARCHAR NOT NULL,
    horizon_start DATE NOT NULL,
    horizon_end   DATE NOT NULL,
    budget        DOUBLE NOT NULL,
    hours_limit   DOUBLE NOT NULL,
    goal_weights  VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by    VARCHAR
);

-- A line of a saved plan as planned, then tracked: status, money spent and, after the
-- horizon, the measured effect per targeted member (extra activities per 60 days).
CREATE TABLE plan_lines (
    plan_id           INTEGER NOT NULL,
    line_no           INTEGER NOT NULL,
    mechanic_id       VARCHAR NOT NULL,
    mechanic_name     VARCHAR,
    target_rule       VARCHAR NOT NULL,
    people            INTEGER NOT NULL,
    planned_cost      DOUBLE NOT NULL,
    planned_hours     DOUBLE NOT NULL,
    effect_per_person DOUBLE NOT NULL,
    effect_source     VARCHAR NOT NULL,
    expected_effect   DOUBLE NOT NULL,
    weighted_value    DOUBLE NOT NULL,
    pinned            BOOLEAN NOT NULL DEFAULT FALSE,
    status            VARCHAR NOT NULL DEFAULT 'planned',
    done_on           DATE,
    cost_spent        DOUBLE,
    measured_effect   DOUBLE,
    measured_cases    INTEGER,
    measured_at       TIMESTAMP,
    PRIMARY KEY (plan_id, line_no)
);

-- The members each saved line targets.
CREATE TABLE plan_targets (
    plan_id   INTEGER NOT NULL,
    line_no   INTEGER NOT NULL,
    person_id VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, line_no, person_id)
);
