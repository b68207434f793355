-- Speaking opportunities (SPEC.md §1 conferences, submissions): conferences with their call
-- for papers, talk submissions moving from an idea to the stage, and their speakers. A
-- delivered talk becomes one activity per speaker; the speaker row keeps its activity_id.
CREATE TABLE conferences (
    conference_id VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    city          VARCHAR,
    online        BOOLEAN NOT NULL DEFAULT FALSE,
    starts_on     DATE,
    ends_on       DATE,
    audience      INTEGER,
    topics        VARCHAR[],
    cfp_opens     DATE,
    cfp_closes    DATE,
    url           VARCHAR,
    cost          DOUBLE
);

CREATE TABLE submissions (
    submission_id VARCHAR PRIMARY KEY,
    conference_id VARCHAR NOT NULL,
    title         VARCHAR NOT NULL,
    abstract      VARCHAR,
    skills        VARCHAR[],
    status        VARCHAR NOT NULL DEFAULT 'idea'
        CHECK (status IN ('idea', 'draft', 'review', 'submitted', 'accepted', 'rejected', 'delivered', 'withdrawn')),
    reviewer      VARCHAR,
    created_on    DATE,
    submitted_on  DATE,
    decided_on    DATE,
    delivered_on  DATE
);

CREATE TABLE submission_speakers (
    submission_id VARCHAR NOT NULL,
    person_id     VARCHAR NOT NULL,
    activity_id   VARCHAR,
    PRIMARY KEY (submission_id, person_id)
);
