"""A small known club for the speaking-pipeline tests: five people (two active members, an
alumna, a candidate, an employee outside the club), five skills, claims, a target profile,
capacity, one past talk and four conferences around AS_OF."""

from __future__ import annotations

from datetime import date

from lib.store.db import Database

AS_OF = date(2026, 11, 15)


def fill(db: Database) -> Database:
    with db.transaction() as cur:
        cur.execute(
            """
            INSERT INTO people (person_id, name, email, department) VALUES
              ('P1', 'Anna Orlova', 'anna@bank.example', 'IT'),
              ('P2', 'Boris Lebedev', 'boris@bank.example', 'Risk'),
              ('P3', 'Vera Alumni', 'vera@bank.example', 'IT'),
              ('P4', 'Gleb Candidate', 'gleb@bank.example', 'IT'),
              ('P5', 'Dina Outside', 'dina@bank.example', 'Retail');
            INSERT INTO memberships (person_id, wave, status, joined_on) VALUES
              ('P1', 1, 'active', '2023-01-10'), ('P2', 1, 'active', '2023-01-10'),
              ('P3', 1, 'alumni', '2023-01-10'), ('P4', 2, 'candidate', NULL);
            INSERT INTO skills (skill_id, name, category, aliases) VALUES
              ('K8S', 'Kubernetes', 'Engineering', ['k8s']),
              ('LLM', 'Generative AI & LLMs', 'Data', ['LLM', 'Генеративный ИИ']),
              ('FRD', 'Anti-fraud', 'Risk', ['Антифрод', 'fraud prevention']),
              ('GO', 'Go', 'Engineering', ['golang']),
              ('EVT', 'Event management', 'Marketing', ['events']);
            INSERT INTO person_skills (person_id, skill_id, level, source, confirmed_on) VALUES
              ('P1', 'K8S', 5, 'curator', '2026-10-01'),
              ('P1', 'LLM', 3, 'self', '2025-09-01'),
              ('P2', 'LLM', 4, 'peer', '2026-09-01'),
              ('P2', 'FRD', 2, 'self', '2026-08-01'),
              ('P1', 'FRD', 1, 'self', '2026-08-01'),
              ('P3', 'K8S', 5, 'curator', '2026-10-01');
            INSERT INTO target_profile (skill_id, min_people, min_level, priority) VALUES
              ('LLM', 3, 3, 'must'), ('K8S', 1, 3, 'should');
            INSERT INTO capacity (person_id, month, hours_available) VALUES
              ('P1', '2026-10-01', 10), ('P1', '2026-11-01', 20), ('P1', '2026-12-01', 90);
            INSERT INTO activities (activity_id, person_id, occurred_on, kind, title, audience)
              VALUES ('A1', 'P1', '2026-03-01', 'talk_external', 'An earlier talk', 200);
            INSERT INTO conferences (conference_id, name, city, starts_on, ends_on, audience,
                                     topics, cfp_opens, cfp_closes, cost) VALUES
              ('C1', 'CloudConf 2027', 'Moscow', '2027-02-01', '2027-02-02', 500,
               ['Kubernets at scale', 'LLM in banking'], '2026-10-01', '2026-12-15', 1000),
              ('C2', 'Финтех Форум', 'Москва', '2027-03-01', '2027-03-01', 300,
               ['Антифрод', 'Go-to-market'], NULL, '2026-12-16', NULL),
              ('C3', 'Past Summit 2026', 'London', '2026-06-01', '2026-06-02', 900,
               ['Kubernetes'], '2026-01-10', '2026-04-01', 500),
              ('C4', 'Later Days 2027', 'Kazan', '2027-05-10', '2027-05-11', 100,
               ['Event streaming'], '2026-12-01', '2027-02-01', 0);
            """
        )
    return db
