"""Reference vocabularies of the demo bank: departments, skills, names, kinds of activity,
events and recognitions (interview codes are in `findings_catalogue`).

Every entry carries its English and Russian text so demo data can be generated in either.
"""

from __future__ import annotations

from lib.vocabulary import ExitReason

# (key, English, Russian, share of the employee pool, category affinities)
DEPARTMENTS = [
    ("it", "IT", "ИТ", 0.20, {"engineering": 6, "security": 1, "data_ai": 1, "product": 1}),
    ("data_ai", "Data & AI", "Данные и ИИ", 0.07, {"data_ai": 7, "engineering": 2, "risk": 1}),
    (
        "digital",
        "Digital products",
        "Цифровые продукты",
        0.08,
        {"product": 5, "engineering": 2, "banking": 2, "data_ai": 1},
    ),
    ("risk", "Risk", "Риски", 0.08, {"risk": 6, "data_ai": 2, "banking": 1}),
    (
        "retail",
        "Retail banking",
        "Розничный бизнес",
        0.17,
        {"banking": 5, "product": 2, "marketing": 1, "operations": 1},
    ),
    (
        "corporate",
        "Corporate banking",
        "Корпоративный бизнес",
        0.10,
        {"banking": 6, "risk": 1, "leadership": 1},
    ),
    (
        "operations",
        "Operations",
        "Операционный блок",
        0.11,
        {"operations": 5, "banking": 2, "engineering": 1},
    ),
    ("finance", "Finance", "Финансы", 0.05, {"risk": 4, "operations": 2, "data_ai": 1}),
    ("hr", "HR", "HR", 0.04, {"leadership": 5, "communication": 3, "marketing": 1}),
    (
        "marketing",
        "Marketing",
        "Маркетинг",
        0.05,
        {"marketing": 6, "communication": 3, "product": 1},
    ),
    ("security", "Security", "Безопасность", 0.03, {"security": 7, "engineering": 2}),
    (
        "legal",
        "Legal & compliance",
        "Юридический блок и комплаенс",
        0.02,
        {"operations": 4, "risk": 3, "communication": 1},
    ),
]

# Every department shares some talent for communication and leadership.
COMMON_AFFINITY = {"communication": 1.5, "leadership": 1.5}

CATEGORIES = {
    "engineering": ("Engineering", "Разработка"),
    "data_ai": ("Data & AI", "Данные и ИИ"),
    "risk": ("Risk & finance", "Риски и финансы"),
    "banking": ("Banking products", "Банковские продукты"),
    "product": ("Product & design", "Продукт и дизайн"),
    "security": ("Security", "Безопасность"),
    "communication": ("Communication", "Коммуникации"),
    "leadership": ("Leadership & people", "Лидерство и люди"),
    "marketing": ("Marketing & brand", "Маркетинг и бренд"),
    "operations": ("Operations & legal", "Операции и право"),
}

# category -> [(English name, Russian name, aliases)], most common first.
SKILLS = {
    "engineering": [
        ("Python", "Python", ["py", "python3"]),
        ("Java", "Java", ["JVM", "Spring"]),
        ("JavaScript", "JavaScript", ["JS", "TypeScript", "TS"]),
        ("Microservices", "Микросервисы", ["microservice architecture"]),
        ("DevOps & CI/CD", "DevOps и CI/CD", ["CI/CD", "devops"]),
        ("Kubernetes", "Kubernetes", ["k8s", "kube"]),
        ("Solution architecture", "Архитектура решений", ["architecture", "архитектура"]),
        ("PostgreSQL", "PostgreSQL", ["postgres", "psql"]),
        ("Test automation", "Автоматизация тестирования", ["QA automation", "autotests"]),
        ("Kotlin", "Kotlin", []),
        ("Go", "Go", ["golang"]),
        ("React", "React", ["ReactJS"]),
        ("Android development", "Разработка под Android", ["android"]),
        ("iOS development", "Разработка под iOS", ["ios", "swift"]),
        ("API design", "Проектирование API", ["REST", "OpenAPI"]),
        ("Kafka", "Kafka", ["Apache Kafka", "event streaming"]),
        ("Site reliability engineering", "SRE", ["SRE"]),
        ("Cloud architecture", "Облачная архитектура", ["cloud"]),
        ("Performance engineering", "Нагрузочное тестирование", ["load testing"]),
        ("Mainframe & COBOL", "Мейнфреймы и COBOL", ["COBOL", "mainframe"]),
        ("Low-code platforms", "Low-code платформы", ["low code"]),
    ],
    "data_ai": [
        ("SQL analytics", "SQL-аналитика", ["SQL"]),
        ("Machine learning", "Машинное обучение", ["ML", "машинное обучение"]),
        ("Data engineering", "Инженерия данных", ["ETL", "data pipelines"]),
        ("BI & dashboards", "BI и дашборды", ["BI", "Power BI", "Tableau"]),
        ("Statistics", "Статистика", ["stats"]),
        ("A/B testing", "A/B-тестирование", ["experiments", "AB tests"]),
        ("Data warehousing", "Хранилища данных", ["DWH"]),
        ("Generative AI & LLMs", "Генеративный ИИ и LLM", ["GenAI", "LLM", "ChatGPT"]),
        ("Deep learning", "Глубокое обучение", ["DL", "neural networks"]),
        ("Natural language processing", "Обработка естественного языка", ["NLP"]),
        ("MLOps", "MLOps", ["ML ops"]),
        ("Time-series forecasting", "Прогнозирование временных рядов", ["forecasting"]),
        ("Recommender systems", "Рекомендательные системы", ["recsys"]),
        ("Data governance", "Управление данными", ["data quality"]),
        ("Computer vision", "Компьютерное зрение", ["CV"]),
        ("Graph analytics", "Графовая аналитика", ["graph ML"]),
    ],
    "risk": [
        (
            "Credit risk modelling",
            "Моделирование кредитного риска",
            ["credit scoring", "PD models"],
        ),
        ("Anti-fraud", "Антифрод", ["fraud prevention"]),
        ("Financial planning", "Финансовое планирование", ["FP&A", "budgeting"]),
        ("Regulatory reporting", "Регуляторная отчётность", ["reporting"]),
        ("Operational risk", "Операционный риск", ["op risk"]),
        ("AML", "ПОД/ФТ", ["anti-money laundering", "KYC checks"]),
        ("Market risk", "Рыночный риск", ["VaR"]),
        ("IFRS 9 & Basel", "МСФО 9 и Базель", ["IFRS 9", "Basel III"]),
        ("Stress testing", "Стресс-тестирование", []),
        ("Treasury & ALM", "Казначейство и ALM", ["ALM", "treasury"]),
        ("Model validation", "Валидация моделей", []),
        ("Collections strategy", "Стратегия взыскания", ["collections"]),
    ],
    "banking": [
        ("Cards & payments", "Карты и платежи", ["payments", "cards"]),
        ("Retail lending", "Розничное кредитование", ["consumer loans"]),
        ("SME banking", "Банковское обслуживание МСБ", ["SME", "small business"]),
        ("Corporate lending", "Корпоративное кредитование", ["corporate loans"]),
        ("Mortgages", "Ипотека", ["mortgage"]),
        ("Deposits & savings", "Вклады и накопления", ["deposits"]),
        ("Digital onboarding & KYC", "Цифровой онбординг и KYC", ["KYC", "eKYC"]),
        ("Cash management", "Управление ликвидностью клиентов", ["cash pooling"]),
        ("Acquiring", "Эквайринг", ["merchant acquiring"]),
        ("Trade finance", "Торговое финансирование", ["letters of credit"]),
        ("Wealth management", "Управление благосостоянием", ["private banking"]),
        ("Loyalty programmes", "Программы лояльности", ["loyalty", "cashback"]),
        ("Insurance products", "Страховые продукты", ["bancassurance"]),
        ("Open banking APIs", "Открытый банкинг", ["open banking", "open API"]),
    ],
    "product": [
        ("Product management", "Управление продуктом", ["PM", "product owner"]),
        ("Agile coaching", "Agile-коучинг", ["agile"]),
        ("Scrum", "Scrum", []),
        ("Customer journey mapping", "Карта клиентского пути", ["CJM"]),
        ("UX research", "UX-исследования", ["user research"]),
        ("Product analytics", "Продуктовая аналитика", ["product metrics"]),
        ("UI design", "UI-дизайн", ["interface design", "Figma"]),
        ("Product discovery", "Продуктовый discovery", ["discovery"]),
        ("Unit economics", "Юнит-экономика", []),
        ("Kanban", "Kanban", []),
        ("Service design", "Сервис-дизайн", []),
        ("Jobs to be done", "Jobs to be done", ["JTBD"]),
        ("Accessibility", "Доступность интерфейсов", ["a11y"]),
    ],
    "security": [
        ("Information security", "Информационная безопасность", ["infosec", "ИБ"]),
        ("Application security", "Безопасность приложений", ["AppSec", "DevSecOps"]),
        ("Identity & access management", "Управление доступом", ["IAM"]),
        ("SOC operations", "Центр мониторинга ИБ", ["SOC"]),
        ("Threat modelling", "Моделирование угроз", []),
        ("Cryptography", "Криптография", ["crypto"]),
        ("Post-quantum cryptography", "Постквантовая криптография", ["PQC"]),
    ],
    "communication": [
        ("Public speaking", "Публичные выступления", ["speaking", "выступления"]),
        ("Presentation design", "Дизайн презентаций", ["slides"]),
        ("Technical writing", "Техническое письмо", ["docs", "articles"]),
        ("Storytelling", "Сторителлинг", []),
        ("Facilitation", "Фасилитация", ["workshop facilitation"]),
        ("Conference talks", "Доклады на конференциях", ["conference speaking"]),
        ("Social media presence", "Личный бренд в соцсетях", ["personal brand"]),
        ("Workshop design", "Дизайн воркшопов", []),
        ("Media relations", "Работа со СМИ", ["press"]),
        ("Podcasting", "Подкасты", ["podcast"]),
    ],
    "leadership": [
        ("Team leadership", "Управление командой", ["people management"]),
        ("Stakeholder management", "Работа со стейкхолдерами", ["stakeholders"]),
        ("Mentoring", "Менторство", ["mentorship"]),
        ("Hiring & interviewing", "Найм и интервью", ["recruiting"]),
        ("Change management", "Управление изменениями", []),
        ("Strategic planning", "Стратегическое планирование", ["strategy"]),
        ("OKRs", "OKR", ["objectives and key results"]),
        ("Coaching", "Коучинг", []),
        ("Negotiation", "Переговоры", []),
        ("Onboarding design", "Дизайн онбординга", []),
        ("Community building", "Развитие сообществ", ["community management"]),
    ],
    "marketing": [
        ("CRM marketing", "CRM-маркетинг", ["CRM"]),
        ("Performance marketing", "Performance-маркетинг", []),
        ("Brand marketing", "Бренд-маркетинг", ["brand"]),
        ("Content marketing", "Контент-маркетинг", ["content"]),
        ("Event management", "Организация мероприятий", ["events"]),
        ("Market research", "Маркетинговые исследования", []),
        ("PR", "PR", ["public relations"]),
        ("Employer branding", "HR-бренд", ["employer brand"]),
    ],
    "operations": [
        ("Process automation (RPA)", "Автоматизация процессов (RPA)", ["RPA"]),
        ("Lean & Six Sigma", "Lean и шесть сигм", ["lean", "six sigma"]),
        ("Contact centre operations", "Контакт-центр", ["call centre"]),
        ("Compliance", "Комплаенс", []),
        ("Vendor management", "Управление подрядчиками", []),
        ("Procurement", "Закупки", []),
        ("Fintech law", "Право в финтехе", ["legal"]),
        ("ESG & sustainability", "ESG и устойчивое развитие", ["ESG"]),
    ],
}

# Used to grow the taxonomy for the large tier: "<skill> (<variant>)".
SKILL_VARIANTS = [
    ("advanced", "продвинутый уровень"),
    ("for banking", "в банке"),
    ("at scale", "на масштабе"),
    ("governance", "управление"),
    ("automation", "автоматизация"),
    ("tooling", "инструменты"),
    ("leadership", "лидерство"),
    ("fundamentals", "основы"),
]

# (key, English title, Russian title, pool share, member share, load_pct base)
GRADES = [
    ("G08", "Specialist", "Специалист", 0.36, 0.04, 74),
    ("G10", "Senior", "Старший", 0.30, 0.16, 79),
    ("G12", "Lead", "Ведущий", 0.18, 0.30, 84),
    ("G14", "Head", "Руководитель", 0.10, 0.28, 89),
    ("G16", "Director", "Директор", 0.045, 0.16, 93),
    ("G18", "Executive", "Управляющий директор", 0.015, 0.06, 96),
]

ROLE_NOUNS = {
    "it": ("engineer", "инженер"),
    "data_ai": ("data scientist", "аналитик данных"),
    "digital": ("product owner", "владелец продукта"),
    "risk": ("risk analyst", "риск-аналитик"),
    "retail": ("product manager", "менеджер продукта"),
    "corporate": ("relationship manager", "клиентский менеджер"),
    "operations": ("operations manager", "менеджер операций"),
    "finance": ("financial analyst", "финансовый аналитик"),
    "hr": ("HR business partner", "HR бизнес-партнёр"),
    "marketing": ("marketing manager", "маркетолог"),
    "security": ("security engineer", "инженер ИБ"),
    "legal": ("lawyer", "юрист"),
}

TEAMS = [
    ("Platform", "Платформа"),
    ("Mobile bank", "Мобильный банк"),
    ("Payments", "Платежи"),
    ("Lending", "Кредитование"),
    ("Analytics", "Аналитика"),
    ("Customer experience", "Клиентский опыт"),
    ("Core banking", "Ядро банка"),
    ("Strategy office", "Офис стратегии"),
]

LOCATIONS = [
    ("Moscow", "Москва", 0.55),
    ("Saint Petersburg", "Санкт-Петербург", 0.13),
    ("Novosibirsk", "Новосибирск", 0.07),
    ("Yekaterinburg", "Екатеринбург", 0.07),
    ("Kazan", "Казань", 0.06),
    ("Nizhny Novgorod", "Нижний Новгород", 0.05),
    ("Remote", "Удалённо", 0.07),
]

FEMALE_NAMES = [
    ("Anna", "Анна"),
    ("Maria", "Мария"),
    ("Elena", "Елена"),
    ("Olga", "Ольга"),
    ("Natalia", "Наталья"),
    ("Irina", "Ирина"),
    ("Ekaterina", "Екатерина"),
    ("Tatiana", "Татьяна"),
    ("Svetlana", "Светлана"),
    ("Daria", "Дарья"),
    ("Anastasia", "Анастасия"),
    ("Yulia", "Юлия"),
    ("Ksenia", "Ксения"),
    ("Polina", "Полина"),
    ("Victoria", "Виктория"),
    ("Alina", "Алина"),
]
MALE_NAMES = [
    ("Alexander", "Александр"),
    ("Dmitry", "Дмитрий"),
    ("Sergey", "Сергей"),
    ("Andrey", "Андрей"),
    ("Alexey", "Алексей"),
    ("Ivan", "Иван"),
    ("Mikhail", "Михаил"),
    ("Nikolay", "Николай"),
    ("Pavel", "Павел"),
    ("Artem", "Артём"),
    ("Maxim", "Максим"),
    ("Denis", "Денис"),
    ("Roman", "Роман"),
    ("Kirill", "Кирилл"),
    ("Egor", "Егор"),
    ("Vladimir", "Владимир"),
]
# Male surname forms; the female form adds "a" ("Ivanov" -> "Ivanova").
SURNAMES = [
    ("Ivanov", "Иванов"),
    ("Smirnov", "Смирнов"),
    ("Kuznetsov", "Кузнецов"),
    ("Popov", "Попов"),
    ("Vasiliev", "Васильев"),
    ("Petrov", "Петров"),
    ("Sokolov", "Соколов"),
    ("Mikhailov", "Михайлов"),
    ("Novikov", "Новиков"),
    ("Fedorov", "Фёдоров"),
    ("Morozov", "Морозов"),
    ("Volkov", "Волков"),
    ("Alekseev", "Алексеев"),
    ("Lebedev", "Лебедев"),
    ("Semenov", "Семёнов"),
    ("Egorov", "Егоров"),
    ("Pavlov", "Павлов"),
    ("Kozlov", "Козлов"),
    ("Stepanov", "Степанов"),
    ("Nikolaev", "Николаев"),
    ("Orlov", "Орлов"),
    ("Andreev", "Андреев"),
    ("Makarov", "Макаров"),
    ("Nikitin", "Никитин"),
    ("Zakharov", "Захаров"),
    ("Zaitsev", "Зайцев"),
    ("Solovyov", "Соловьёв"),
    ("Borisov", "Борисов"),
    ("Yakovlev", "Яковлев"),
    ("Grigoriev", "Григорьев"),
    ("Romanov", "Романов"),
    ("Vorobyov", "Воробьёв"),
    ("Sergeev", "Сергеев"),
    ("Frolov", "Фролов"),
    ("Belov", "Белов"),
    ("Tarasov", "Тарасов"),
]

ACTIVITY_KINDS = [
    # (kind, share, median audience, median hours, English title, Russian title)
    ("community_session", 0.22, 25, 2.0, "Community session on {skill}", "Встреча клуба: {skill}"),
    ("mentoring", 0.19, 1, 1.5, "Mentoring in {skill}", "Менторство: {skill}"),
    ("talk_internal", 0.15, 80, 5.0, "Internal talk: {skill}", "Внутренний доклад: {skill}"),
    ("article", 0.10, 600, 8.0, "Article on {skill}", "Статья о {skill}"),
    (
        "talk_external",
        0.08,
        300,
        12.0,
        "Conference talk: {skill}",
        "Доклад на конференции: {skill}",
    ),
    ("onboarding_buddy", 0.08, 1, 2.0, "Buddy for a newcomer", "Бадди для новичка"),
    ("media", 0.07, 5000, 3.0, "Media comment on {skill}", "Комментарий СМИ: {skill}"),
    ("event_hosting", 0.07, 60, 10.0, "Hosted a meetup on {skill}", "Провёл митап: {skill}"),
    ("product_launch", 0.04, 2000, 40.0, "Product launch with {skill}", "Запуск продукта: {skill}"),
]

EVENT_KINDS = [
    # (kind, per year, budget, English title, Russian title)
    ("meetup", 10, 150_000, "Ambassador meetup", "Встреча амбассадоров"),
    ("generation_session", 4, 300_000, "Generation session", "Генерационная сессия"),
    ("demo_day", 2, 600_000, "Demo day", "Демо-день"),
    ("onboarding_day", 2, 200_000, "Onboarding day", "День онбординга"),
    ("offsite", 1, 2_500_000, "Club offsite", "Выездная встреча клуба"),
    ("conference", 5, 400_000, "Industry conference", "Отраслевая конференция"),
]

RECOGNITION_KINDS = [
    # (kind, share, cost)
    ("thanks", 0.40, 0.0),
    ("merch", 0.32, 4_500.0),
    ("award", 0.16, 25_000.0),
    ("sponsored_conference", 0.12, 90_000.0),
]

# Why members left, stored as the exit-reason codes the workbench records: (code, share).
EXIT_REASONS = [
    (ExitReason.WORKLOAD, 0.38),
    (ExitReason.LEFT_BANK, 0.20),
    (ExitReason.ROLE_CHANGE, 0.17),
    (ExitReason.LOST_INTEREST, 0.15),
    (ExitReason.RELOCATION, 0.10),
]
