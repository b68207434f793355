-- The curator's workbench (lib/membership): every change audited with the rows before and after
-- it (JSON text, read by undo), an offboarding checklist configured like the onboarding one,
-- the checklists each member started, scheduled check-ins, and rejected skill claims kept as
-- history.

ALTER TABLE audit_log ADD COLUMN before VARCHAR;
ALTER TABLE audit_log ADD COLUMN after VARCHAR;

-- The offboarding checklist (the charter's offboarding rules as steps); due_days count from
-- the day the member left. evidence: 'interview' (an interview held since) or 'recognition'
-- (a thank-you recorded since), NULL = ticked by hand.
CREATE TABLE offboarding_steps (
    step_id  VARCHAR PRIMARY KEY,
    position INTEGER NOT NULL,
    title    VARCHAR NOT NULL,
    due_days INTEGER NOT NULL,
    evidence VARCHAR
);

INSERT INTO offboarding_steps (step_id, position, title, due_days, evidence) VALUES
    ('hand_over', 1, 'Responsibilities, commitments and mentees handed over', 14, NULL),
    ('exit_interview', 2, 'Exit interview with a curator', 21, 'interview'),
    ('thank_you', 3, 'Thank-you sent and merch returned or kept', 30, 'recognition'),
    ('remove_channels', 4, 'Removed from club channels and mailing lists', 30, NULL);

CREATE TABLE offboarding_ticks (
    person_id VARCHAR NOT NULL,
    step_id   VARCHAR NOT NULL,
    done_on   DATE NOT NULL,
    ticked_by VARCHAR,
    ticked_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    note      VARCHAR,
    PRIMARY KEY (person_id, step_id)
);

-- The checklist a lifecycle move started: onboarding from the charter version then current,
-- offboarding on the day the member left.
CREATE TABLE checklist_runs (
    person_id       VARCHAR NOT NULL,
    checklist       VARCHAR NOT NULL CHECK (checklist IN ('onboarding', 'offboarding')),
    started_on      DATE NOT NULL,
    charter_version INTEGER,
    started_by      VARCHAR,
    PRIMARY KEY (person_id, checklist)
);

-- A conversation a curator scheduled with a member (from the at-risk list or the member's file).
CREATE TABLE check_ins (
    person_id    VARCHAR NOT NULL,
    due_on       DATE NOT NULL,
    note         VARCHAR,
    scheduled_by VARCHAR,
    done_on      DATE,
    PRIMARY KEY (person_id, due_on)
);

-- Skill claims a curator rejected, moved out of person_skills with the values they had. The same
-- claim imported again (same source, level and confirmation day) stays out of the holders
-- query; a newer confirmation counts again.
CREATE TABLE claim_rejections (
    person_id    VARCHAR NOT NULL,
    skill_id     VARCHAR NOT NULL,
    source       VARCHAR NOT NULL
        CHECK (source IN ('self', 'interview', 'activity', 'curator', 'peer')),
    level        TINYINT NOT NULL,
    confirmed_on DATE,
    evidence     VARCHAR,
    rejected_on  DATE NOT NULL,
    rejected_by  VARCHAR,
    note         VARCHAR,
    PRIMARY KEY (person_id, skill_id, source, rejected_on)
);
