-- Onboarding checklists (the charter's onboarding rules as steps) and per-member ticks.
CREATE TABLE onboarding_steps (
    step_id  VARCHAR PRIMARY KEY,
    position INTEGER NOT NULL,
    title    VARCHAR NOT NULL,
    due_days INTEGER NOT NULL,
    evidence VARCHAR
);

INSERT INTO onboarding_steps (step_id, position, title, due_days, evidence) VALUES
    ('welcome_meeting', 1, 'Welcome meeting with a curator and a buddy', 14, NULL),
    ('expertise_profile', 2, 'Expertise profile filled in', 30, 'profile'),
    ('onboarding_day', 3, 'Onboarding day attended', 60, 'onboarding_day'),
    ('first_session', 4, 'First community session', 45, 'community_session'),
    ('first_contribution', 5, 'First contribution', 60, 'contribution');

CREATE TABLE onboarding_ticks (
    person_id VARCHAR NOT NULL,
    step_id   VARCHAR NOT NULL,
    done_on   DATE NOT NULL,
    ticked_by VARCHAR,
    ticked_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    note      VARCHAR,
    PRIMARY KEY (person_id, step_id)
);
