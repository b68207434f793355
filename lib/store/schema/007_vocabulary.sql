-- Closed vocabularies become CHECK constraints (lib/vocabulary.py): the database refuses
-- what the code would never write. DuckDB cannot add a CHECK to an existing table, so each
-- table is rebuilt with the same columns, keys and rows.

CREATE TABLE activities__checked (
    activity_id VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    occurred_on DATE NOT NULL,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('talk_external', 'talk_internal', 'article', 'mentoring', 'product_launch', 'event_hosting', 'onboarding_buddy', 'community_session', 'media')),
    title VARCHAR,
    audience INTEGER,
    hours DOUBLE,
    skills VARCHAR[],
    PRIMARY KEY (activity_id)
);
INSERT INTO activities__checked SELECT * FROM activities;
DROP TABLE activities;
ALTER TABLE activities__checked RENAME TO activities;

CREATE TABLE attendance__checked (
    event_id VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL DEFAULT 'attendee'
        CHECK (role IN ('attendee', 'speaker', 'organiser')),
    PRIMARY KEY (event_id, person_id)
);
INSERT INTO attendance__checked SELECT * FROM attendance;
DROP TABLE attendance;
ALTER TABLE attendance__checked RENAME TO attendance;

CREATE TABLE events__checked (
    event_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('meetup', 'generation_session', 'demo_day', 'onboarding_day', 'offsite', 'conference')),
    title VARCHAR,
    budget DOUBLE,
    PRIMARY KEY (event_id)
);
INSERT INTO events__checked SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events__checked RENAME TO events;

CREATE TABLE interview_findings__checked (
    interview_id VARCHAR NOT NULL,
    theme VARCHAR NOT NULL
        CHECK (theme IN ('barrier', 'need', 'motivation', 'idea', 'value')),
    code VARCHAR NOT NULL,
    quote VARCHAR,
    sentiment DOUBLE,
    skills VARCHAR[],
    PRIMARY KEY (interview_id, theme, code)
);
INSERT INTO interview_findings__checked SELECT * FROM interview_findings;
DROP TABLE interview_findings;
ALTER TABLE interview_findings__checked RENAME TO interview_findings;

CREATE TABLE membership_events__checked (
    person_id VARCHAR NOT NULL,
    changed_on DATE NOT NULL,
    from_status VARCHAR
        CHECK (from_status IN ('candidate', 'onboarding', 'active', 'paused', 'alumni')),
    to_status VARCHAR NOT NULL
        CHECK (to_status IN ('candidate', 'onboarding', 'active', 'paused', 'alumni')),
    note VARCHAR,
    PRIMARY KEY (person_id, changed_on, to_status)
);
INSERT INTO membership_events__checked SELECT * FROM membership_events;
DROP TABLE membership_events;
ALTER TABLE membership_events__checked RENAME TO membership_events;

CREATE TABLE memberships__checked (
    person_id VARCHAR NOT NULL,
    wave INTEGER,
    status VARCHAR NOT NULL
        CHECK (status IN ('candidate', 'onboarding', 'active', 'paused', 'alumni')),
    joined_on DATE,
    left_on DATE,
    exit_reason VARCHAR,
    PRIMARY KEY (person_id)
);
INSERT INTO memberships__checked SELECT * FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships__checked RENAME TO memberships;

CREATE TABLE person_skills__checked (
    person_id VARCHAR NOT NULL,
    skill_id VARCHAR NOT NULL,
    level TINYINT NOT NULL,
    source VARCHAR NOT NULL DEFAULT 'self'
        CHECK (source IN ('self', 'interview', 'activity', 'curator', 'peer')),
    confirmed_on DATE,
    evidence VARCHAR,
    PRIMARY KEY (person_id, skill_id, source)
);
INSERT INTO person_skills__checked SELECT * FROM person_skills;
DROP TABLE person_skills;
ALTER TABLE person_skills__checked RENAME TO person_skills;

CREATE TABLE plan_lines__checked (
    plan_id INTEGER NOT NULL,
    line_no INTEGER NOT NULL,
    mechanic_id VARCHAR NOT NULL,
    mechanic_name VARCHAR,
    target_rule VARCHAR NOT NULL,
    people INTEGER NOT NULL,
    planned_cost DOUBLE NOT NULL,
    planned_hours DOUBLE NOT NULL,
    effect_per_person DOUBLE NOT NULL,
    effect_source VARCHAR NOT NULL,
    expected_effect DOUBLE NOT NULL,
    weighted_value DOUBLE NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT false,
    status VARCHAR NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'done', 'cancelled')),
    done_on DATE,
    cost_spent DOUBLE,
    measured_effect DOUBLE,
    measured_cases INTEGER,
    measured_at TIMESTAMP,
    PRIMARY KEY (plan_id, line_no)
);
INSERT INTO plan_lines__checked SELECT * FROM plan_lines;
DROP TABLE plan_lines;
ALTER TABLE plan_lines__checked RENAME TO plan_lines;

CREATE TABLE recognitions__checked (
    person_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('merch', 'award', 'thanks', 'sponsored_conference')),
    note VARCHAR,
    cost DOUBLE,
    PRIMARY KEY (person_id, date, kind)
);
INSERT INTO recognitions__checked SELECT * FROM recognitions;
DROP TABLE recognitions;
ALTER TABLE recognitions__checked RENAME TO recognitions;

CREATE TABLE role_map__checked (
    principal VARCHAR NOT NULL,
    role VARCHAR NOT NULL
        CHECK (role IN ('leadership', 'curator', 'planner', 'admin')),
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    changed_by VARCHAR,
    PRIMARY KEY (principal)
);
INSERT INTO role_map__checked SELECT * FROM role_map;
DROP TABLE role_map;
ALTER TABLE role_map__checked RENAME TO role_map;

CREATE TABLE target_profile__checked (
    skill_id VARCHAR NOT NULL,
    min_people INTEGER NOT NULL DEFAULT 1,
    min_level INTEGER NOT NULL DEFAULT 3,
    priority VARCHAR NOT NULL DEFAULT 'should'
        CHECK (priority IN ('must', 'should', 'could')),
    rationale VARCHAR,
    PRIMARY KEY (skill_id)
);
INSERT INTO target_profile__checked SELECT * FROM target_profile;
DROP TABLE target_profile;
ALTER TABLE target_profile__checked RENAME TO target_profile;

-- One counter every committed write advances: caches key on it, other processes see it.
CREATE TABLE data_version (version BIGINT NOT NULL);
INSERT INTO data_version VALUES (1);
