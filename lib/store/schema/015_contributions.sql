-- Members' own contributions and skill proposals (SPEC.md §1 contributions, §5 members).
--
-- How contributions relate to activities: `activities` stays the one table engagement scores
-- read. A contribution counts exactly when an activity with its id exists
-- (activity_id = contribution_id), so nothing is ever counted twice:
--  * every activity the club recorded (imported, recorded by a curator, a delivered conference
--    talk) IS a contribution — `contribution_list` shows it without a stored row; a stored row
--    with the activity's id only adds what the member said (confirmed, evidence, visibility);
--  * a contribution logged by a member, logged by a curator for them, or confirmed by the
--    member from an event they spoke at or organised, CREATES its activity when it counts:
--    verified (curator, event), or pending while the `count_unverified_contributions` setting
--    says so; a rejected one has none.

-- Open-source work is a kind of contribution and therefore of activity: the activities CHECK
-- is rebuilt with it.
CREATE TABLE activities__checked (
    activity_id VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    occurred_on DATE NOT NULL,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('talk_external', 'talk_internal', 'article', 'mentoring', 'product_launch', 'event_hosting', 'onboarding_buddy', 'community_session', 'media', 'open_source')),
    title VARCHAR,
    audience INTEGER,
    hours DOUBLE,
    skills VARCHAR[],
    PRIMARY KEY (activity_id)
);
INSERT INTO activities__checked SELECT * FROM activities;
DROP TABLE activities;
ALTER TABLE activities__checked RENAME TO activities;

CREATE TABLE contributions (
    contribution_id VARCHAR PRIMARY KEY,
    person_id       VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL
        CHECK (kind IN ('talk_external', 'talk_internal', 'article', 'mentoring', 'product_launch', 'event_hosting', 'onboarding_buddy', 'community_session', 'media', 'open_source')),
    occurred_on     DATE NOT NULL,
    title           VARCHAR NOT NULL,
    evidence_url    VARCHAR,
    reach           INTEGER,
    skills          VARCHAR[],
    visibility      VARCHAR NOT NULL DEFAULT 'club' CHECK (visibility IN ('public', 'club')),
    source          VARCHAR NOT NULL
        CHECK (source IN ('member', 'event', 'cfp', 'import', 'curator')),
    status          VARCHAR NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'verified', 'rejected')),
    event_id        VARCHAR,
    verified_by     VARCHAR,
    verified_on     DATE,
    review_note     VARCHAR,
    confirmed_on    DATE,
    logged_by       VARCHAR,
    logged_on       DATE,
    -- One contribution per member and club event, however often it is confirmed.
    UNIQUE (person_id, event_id)
);

-- A member's proposed new skill or changed level, waiting in the curators' claims queue.
-- current_level: the best level the member held when proposing (NULL: a new skill).
CREATE TABLE skill_proposals (
    person_id     VARCHAR NOT NULL,
    skill_id      VARCHAR NOT NULL,
    proposed_on   DATE NOT NULL,
    level         TINYINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    current_level TINYINT,
    note          VARCHAR,
    proposed_by   VARCHAR,
    status        VARCHAR NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'accepted', 'rejected')),
    decided_on    DATE,
    decided_by    VARCHAR,
    decision_note VARCHAR,
    PRIMARY KEY (person_id, skill_id, proposed_on)
);

-- Every contribution: the stored ones (with the scored values of their activity when they
-- count) and every activity without a stored row (from an import, a curator's record or a
-- delivered conference talk). A stored row of an imported activity that no longer exists is
-- left out. counted: an activity with the contribution's id exists.
CREATE OR REPLACE VIEW contribution_list AS
    SELECT c.contribution_id, c.person_id,
           coalesce(a.kind, c.kind) AS kind,
           coalesce(a.occurred_on, c.occurred_on) AS occurred_on,
           coalesce(a.title, c.title) AS title,
           c.evidence_url,
           CASE WHEN a.activity_id IS NULL THEN c.reach ELSE a.audience END AS reach,
           coalesce(a.skills, c.skills, []) AS skills,
           c.visibility, c.source, c.status, c.event_id, c.verified_by, c.verified_on,
           c.review_note, c.confirmed_on, c.logged_by, c.logged_on,
           a.activity_id IS NOT NULL AS counted
    FROM contributions c
    LEFT JOIN activities a ON a.activity_id = c.contribution_id
    WHERE a.activity_id IS NOT NULL OR c.source NOT IN ('import', 'cfp')
    UNION ALL
    SELECT a.activity_id, a.person_id, a.kind, a.occurred_on, coalesce(a.title, a.kind),
           NULL, a.audience, coalesce(a.skills, []), 'club',
           CASE WHEN EXISTS (SELECT 1 FROM submission_speakers ss
                             WHERE ss.activity_id = a.activity_id) THEN 'cfp'
                ELSE 'import' END,
           'verified', NULL, NULL, NULL, NULL, NULL, NULL, NULL, TRUE
    FROM activities a
    WHERE NOT EXISTS (SELECT 1 FROM contributions c WHERE c.contribution_id = a.activity_id);
