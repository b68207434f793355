"""Deterministic sample files (data/samples/) and the bad-file corpus (tests/files/).

    python -m tests.samples      # rewrite both; the outputs are committed

The HR export looks like a Russian HR system's: its own column names, `;` between cells,
Windows-1251, dd.mm.yyyy dates, an extra column or two and some blank required cells. The
skills taxonomy looks like a published one (code, preferred label, alternative labels on
several lines inside one quoted cell, URI).
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import zipfile
from datetime import datetime
from pathlib import Path

from lib.demo import catalogue as cat

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
CORPUS = ROOT / "tests" / "files"
SEED = 20260315

HR_COLUMNS = [
    "Табельный номер",
    "ФИО",
    "Подразделение",
    "Сектор",
    "Должность",
    "Грейд",
    "Город",
    "Дата приема",
    "Таб. номер руководителя",
    "E-mail",
    "Работает",
    "Ставка",
]
# The same export's columns mapped to fields, as a curator would pass them to `--map`.
HR_MAP = (
    "Табельный номер=person_id,ФИО=name,Подразделение=department,Сектор=team,"
    "Должность=position,Грейд=grade,Город=location,Дата приема=hired_on,"
    "Таб. номер руководителя=manager_id,E-mail=email,Работает=employed"
)
# fmt: off
LATIN = ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
         "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya")
# fmt: on
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", LATIN, strict=True))


def _latin(text: str) -> str:
    return "".join(TRANSLIT.get(ch, ch) for ch in text.lower())


def hr_rows(count: int = 1500, seed: int = SEED) -> list[list[str]]:
    """Rows of the HR export: mostly existing personnel numbers, some new, a few broken."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        number = i + 1 if i < count - 100 else 3001 + i - (count - 100)
        female = rng.random() < 0.5
        first = rng.choice(cat.FEMALE_NAMES if female else cat.MALE_NAMES)[1]
        surname = rng.choice(cat.SURNAMES)[1] + ("а" if female else "")
        patronymic = rng.choice(["Александров", "Сергеев", "Иванов", "Петров", "Андреев"])
        patronymic += "на" if female else "ич"
        department = rng.choice(cat.DEPARTMENTS)
        grade = rng.choice(cat.GRADES)
        hired = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2004, 2026)}"
        manager = f"E{rng.randint(1, 400):06d}" if rng.random() < 0.8 else ""
        rows.append(
            [
                f"E{number:06d}",
                f"{surname} {first} {patronymic}",
                department[2],
                rng.choice(cat.TEAMS)[1],
                f"{grade[2]} специалист" if grade[0] < "G12" else grade[2],
                grade[0],
                rng.choice(cat.LOCATIONS)[1],
                hired,
                manager,
                f"{_latin(first)}.{_latin(surname)}{number}@bank.example",
                "да" if rng.random() < 0.97 else "нет",
                rng.choice(["1", "1", "1", "0,5", "0,75"]),
            ]
        )
    for i in rng.sample(range(count), 17):
        rows[i][0] = ""
    for i, bad in zip(
        rng.sample(range(count), 4),
        ["31.02.2019", "2019/05/01", "32.13.2020", "вчера"],
        strict=True,
    ):
        rows[i][7] = bad
    rows[rng.randrange(count)][10] = "возможно"
    rows[rng.randrange(count)][9] = "без почты"
    return rows


def hr_export(count: int = 1500) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HR_COLUMNS)
    writer.writerows(hr_rows(count))
    return buffer.getvalue().encode("cp1251")


# fmt: off
SUBJECTS = (
    "Python", "Java", "Kotlin", "Go", "TypeScript", "SQL", "Spark", "Kafka", "Kubernetes",
    "PostgreSQL", "ClickHouse", "Airflow", "React", "Swift", "Terraform", "Linux", "Docker",
    "Machine learning", "Deep learning", "Computer vision", "NLP", "Recommender systems",
    "Time series", "A/B testing", "Causal inference", "Data visualisation", "Data governance",
    "Credit risk", "Market risk", "Operational risk", "Liquidity risk", "Anti-fraud",
    "AML compliance", "Basel III", "IFRS 9", "Treasury", "Payments", "Cards", "Mortgages",
    "SME lending", "Trade finance", "Cash management", "Wealth management", "Insurance",
    "Customer journey mapping", "UX research", "Product discovery", "Pricing", "CRM",
    "Marketing analytics", "Brand communication", "Public speaking", "Storytelling",
    "Technical writing", "Facilitation", "Coaching", "Mentoring", "Negotiation",
    "Change management", "Agile delivery", "Scrum", "Kanban", "Portfolio management", "Budgeting",
    "Vendor management", "Procurement", "Process mining", "Lean", "Six Sigma",
    "Robotic process automation", "Identity management", "Cloud security", "Threat modelling",
    "Penetration testing", "Incident response", "Cryptography", "API design", "Microservices",
    "Event sourcing", "Domain-driven design", "Site reliability", "Observability",
    "Performance testing", "Test automation", "Mobile development", "Accessibility",
    "Design systems", "Open banking", "Regulatory reporting", "Capital planning", "Stress testing",
    "Model validation", "ESG reporting", "Sustainable finance", "Investor relations",
    "Internal audit", "Legal tech", "Data privacy", "Knowledge management",
)
FACETS = (
    ("fundamentals", "basics|foundations"),
    ("advanced practice", "expert practice|deep practice"),
    ("architecture", "system design"),
    ("code review", "peer review"),
    ("teaching", "training others|workshops"),
    ("public talks", "conference talks|meetup talks"),
    ("tooling", "tools"),
    ("quality assurance", "QA|quality"),
    ("automation", "scripting"),
    ("governance", "policies|standards"),
    ("strategy", "roadmapping"),
    ("operations", "run|support"),
    ("analytics", "metrics|reporting"),
    ("regulation", "regulatory requirements"),
    ("security", "secure practices"),
    ("performance tuning", "optimisation"),
    ("migration", "modernisation|legacy migration"),
    ("integration", "interfaces|connectors"),
    ("documentation", "docs|knowledge base"),
    ("community building", "guild|community of practice"),
    ("hiring", "interviewing|recruitment"),
    ("mentoring programmes", "mentorship"),
    ("product management", "product ownership"),
    ("risk assessment", "risk review"),
    ("cost management", "cost control|finops"),
    ("innovation", "experiments|R&D"),
    ("incident handling", "on-call"),
    ("customer focus", "client centricity"),
    ("vendor evaluation", "supplier assessment"),
    ("change communication", "internal communication"),
    ("data modelling", "schemas"),
    ("testing", "test design"),
    ("compliance", "conformity"),
    ("evangelism", "advocacy"),
    ("research", "investigation|studies"),
    ("leadership", "team leadership|people management"),
    ("delivery", "execution|shipping"),
    ("auditing", "audit"),
    ("benchmarking", "comparison studies"),
    ("certification", "accreditation"),
)
GROUPS = (
    "Engineering", "Data & AI", "Risk", "Banking", "Product", "Communication", "Leadership",
    "Operations", "Security", "Marketing",
)
# fmt: on


def taxonomy_rows(count: int = 4000) -> list[list[str]]:
    """Skills with alternative labels on several lines of one cell, like published taxonomies."""
    rows = []
    for i in range(count):
        subject = SUBJECTS[i % len(SUBJECTS)]
        facet, extra = FACETS[i // len(SUBJECTS) % len(FACETS)]
        name = f"{subject}: {facet}"
        labels = [f"{facet} in {subject}", f"{subject} {facet}".lower()]
        labels += [f"{subject} {e}" for e in extra.split("|")]
        digest = hashlib.sha1(name.encode()).hexdigest()
        rows.append(
            [
                f"TX{i + 1:05d}",
                name,
                "\n".join(labels),
                GROUPS[i % len(SUBJECTS) * len(GROUPS) // len(SUBJECTS)],
                f'{facet.capitalize()} of {subject}, as practised in the bank; "{subject}" '
                f"is assessed on a 1–5 scale.",
                f"https://skills.example.org/skill/{digest[:8]}-{digest[8:12]}-{digest[12:16]}",
            ]
        )
    return rows


def skills_taxonomy(count: int = 4000) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "preferredLabel", "altLabels", "group", "description", "conceptUri"])
    writer.writerows(taxonomy_rows(count))
    return buffer.getvalue().encode("utf-8")


# -- the bad-file corpus -------------------------------------------------------------------
def xlsx_bytes(rows: list[list[object]], sheet: str = "people") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    page.title = sheet
    for row in rows:
        page.append(row)
    book.create_sheet("notes").append(["exported by the HR system"])
    book.properties.created = book.properties.modified = datetime(2026, 3, 15)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xml_bomb() -> bytes:
    """A workbook whose shared strings declare nested entities (billion laughs)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["person_id", "name"], ["E1", "x"]])))
    buffer = io.BytesIO()
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    with zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = f"<!DOCTYPE worksheet [{entities}]>" + text
                data = text.replace(">x<", ">&a9;<").encode()
            out.writestr(item, data)
    return buffer.getvalue()


def corpus() -> dict[str, bytes]:
    """Every file of tests/files by name."""
    people = "person_id,name,department\nE000001,Анна Петрова,ИТ\nE000002,Иван Орлов,Риски\n"
    long_name = "Ж" * 10_000
    hostile = [
        ["person_id", "name", "department", "position"],
        ["H001", "Robert'); DROP TABLE people; --", "IT", "' OR 1=1 --"],
        ["H002", "<script>alert('x')</script>", "<b>Risk</b>", "<img src=x onerror=alert(1)>"],
        ["H003", '=HYPERLINK("http://evil.example","click")', "+1+1", "@SUM(A1:A9)"],
        ["H004", "-2+3", "=1+1", "\tTabbed"],
        ["H005", long_name, "IT", "Analyst"],
    ]
    hostile_csv = io.StringIO()
    csv.writer(hostile_csv, lineterminator="\n").writerows(hostile)
    good_xlsx = xlsx_bytes([["Табельный номер", "ФИО"], ["E000001", "Анна"], ["E000002", "Иван"]])
    return {
        "people_cp1251.csv": people.replace(",", ";").encode("cp1251"),
        "people_utf8_bom_tab.csv": "\ufeff".encode() + people.replace(",", "\t").encode(),
        "people_pipes.csv": people.replace(",", "|").encode(),
        "people_no_id.csv": "name,department\nАнна Петрова,ИТ\n".encode(),
        "empty.csv": b"",
        "blank_lines.csv": b"\r\n\r\n  \r\n",
        "header_only.csv": b"person_id,name,department\r\n",
        "duplicate_ids.csv": (people + "E000001,Анна Дубль,ИТ\n").encode(),
        "duplicate_header.csv": b"person_id,name,Name\nE1,a,b\n",
        "ragged.csv": b"person_id,name\nE1,Ann\nE2,Bob,extra,cells\n",
        "nul_bytes.csv": b"person_id,name\nE1,An\x00n\n",
        "utf16_no_bom.csv": people.encode("utf-16-le"),
        "unknown_refs.csv": (
            b"person_id,skill,level\nE000001,python,3\nE999999,Python,3\nE000002,Pyhton,2\n"
            b"E000003,SK0001,7\n"
        ),
        "hostile.csv": hostile_csv.getvalue().encode(),
        "people.xlsx": good_xlsx,
        "truncated.xlsx": good_xlsx[: len(good_xlsx) // 2],
        "xml_bomb.xlsx": xml_bomb(),
        "old_format.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    }


def main() -> None:
    SAMPLES.mkdir(parents=True, exist_ok=True)
    CORPUS.mkdir(parents=True, exist_ok=True)
    (SAMPLES / "hr_export_1500.csv").write_bytes(hr_export())
    (SAMPLES / "skills_taxonomy_4000.csv").write_bytes(skills_taxonomy())
    for name, data in corpus().items():
        (CORPUS / name).write_bytes(data)


if __name__ == "__main__":
    main()
