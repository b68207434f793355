-- Core tables of the product (SPEC.md §1).
CREATE TABLE people (
    person_id   VARCHAR PRIMARY KEY,
    name        VARCHAR,
    email       VARCHAR,
    department  VARCHAR,
    team        VARCHAR,
    position    VARCHAR,
    grade       VARCHAR,
    location    VARCHAR,
    hired_on    DATE,
    manager_id  VARCHAR,
    employed    BOOLEAN DEFAULT TRUE
);

CREATE TABLE memberships (
    person_id   VARCHAR PRIMARY KEY,
    wave        INTEGER,
    status      VARCHAR NOT NULL,
    joined_on   DATE,
    left_on     DATE,
    exit_reason VARCHAR
);

CREATE TABLE membership_events (
    person_id   VARCHAR NOT NULL,
    changed_on  DATE NOT NULL,
    from_status VARCHAR,
    to_status   VARCHAR NOT NULL,
    note        VARCHAR,
    PRIMARY KEY (person_id, changed_on, to_status)
);

CREATE TABLE skills (
    skill_id     VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    category     VARCHAR,
    description  VARCHAR,
    aliases      VARCHAR[],
    external_uri VARCHAR
);

CREATE TABLE person_skills (
    person_id    VARCHAR NOT NULL,
    skill_id     VARCHAR NOT NULL,
    level        TINYINT NOT NULL,
    source       VARCHAR NOT NULL DEFAULT 'self',
    confirmed_on DATE,
    evidence     VARCHAR,
    PRIMARY KEY (person_id, skill_id, source)
);

CREATE TABLE activities (
    activity_id VARCHAR PRIMARY KEY,
    person_id   VARCHAR NOT NULL,
    occurred_on DATE NOT NULL,
    kind        VARCHAR NOT NULL,
    title       VARCHAR,
    audience    INTEGER,
    hours       DOUBLE,
    skills      VARCHAR[]
);

CREATE TABLE capacity (
    person_id       VARCHAR NOT NULL,
    month           DATE NOT NULL,
    hours_available DOUBLE,
    load_pct        DOUBLE,
    PRIMARY KEY (person_id, month)
);

CREATE TABLE events (
    event_id VARCHAR PRIMARY KEY,
    date     DATE NOT NULL,
    kind     VARCHAR NOT NULL,
    title    VARCHAR,
    budget   DOUBLE
);

CREATE TABLE attendance (
    event_id  VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    role      VARCHAR NOT NULL DEFAULT 'attendee',
    PRIMARY KEY (event_id, person_id)
);

CREATE TABLE recognitions (
    person_id VARCHAR NOT NULL,
    date      DATE NOT NULL,
    kind      VARCHAR NOT NULL,
    note      VARCHAR,
    cost      DOUBLE,
    PRIMARY KEY (person_id, date, kind)
);

CREATE TABLE interviews (
    interview_id VARCHAR PRIMARY KEY,
    person_id    VARCHAR,
    conducted_on DATE,
    interviewer  VARCHAR,
    segment      VARCHAR,
    consent      BOOLEAN DEFAULT FALSE,
    summary      VARCHAR
);

CREATE TABLE interview_findings (
    interview_id VARCHAR NOT NULL,
    theme        VARCHAR NOT NULL,
    code         VARCHAR NOT NULL,
    quote        VARCHAR,
    sentiment    DOUBLE,
    skills       VARCHAR[],
    PRIMARY KEY (interview_id, theme, code)
);

CREATE TABLE target_profile (
    skill_id   VARCHAR PRIMARY KEY,
    min_people INTEGER NOT NULL DEFAULT 1,
    min_level  INTEGER NOT NULL DEFAULT 3,
    priority   VARCHAR NOT NULL DEFAULT 'should',
    rationale  VARCHAR
);

CREATE SEQUENCE settings_version_seq START 1;
CREATE TABLE settings (
    version    INTEGER PRIMARY KEY DEFAULT nextval('settings_version_seq'),
    key        VARCHAR NOT NULL,
    value      VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    changed_by VARCHAR
);

CREATE SEQUENCE audit_log_seq START 1;
CREATE TABLE audit_log (
    entry_id  INTEGER PRIMARY KEY DEFAULT nextval('audit_log_seq'),
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor     VARCHAR,
    action    VARCHAR NOT NULL,
    kind      VARCHAR,
    file_name VARCHAR,
    sha256    VARCHAR,
    inserted  INTEGER DEFAULT 0,
    updated   INTEGER DEFAULT 0,
    rejected  INTEGER DEFAULT 0,
    detail    VARCHAR
);

CREATE SEQUENCE charter_version_seq START 1;
CREATE TABLE charter (
    version  INTEGER PRIMARY KEY DEFAULT nextval('charter_version_seq'),
    body     VARCHAR NOT NULL,
    author   VARCHAR,
    saved_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
