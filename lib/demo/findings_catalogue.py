"""The demo bank's interview catalogue: segments, coded findings with their quotes in English
and Russian, and the interviewers.

The codes follow what the club's in-depth interviews found (busy leaders, no time, waiting for
instructions); each finding's weight by segment sets how often the demo bank's interviews
name it.
"""

from __future__ import annotations

SEGMENTS = [
    # (segment, grades in it)
    ("executives", ("G16", "G18")),
    ("heads", ("G14",)),
    ("team_leads", ("G12",)),
    ("experts", ("G08", "G10")),
]

# theme -> [(code, English quote, Russian quote, sentiment, weight by segment order)]
FINDINGS = {
    "barrier": [
        (
            "high_workload",
            "My main job takes everything; the club is one more thing on top of it.",
            "Основная работа забирает всё время, клуб — это ещё одна нагрузка сверху.",
            -0.7,
            (0.95, 0.85, 0.6, 0.4),
        ),
        (
            "waiting_for_instructions",
            "I share experience with my team, but in the club I wait to be told what to do.",
            "В команде я делюсь опытом, а в клубе жду, когда скажут, что делать.",
            -0.4,
            (0.3, 0.5, 0.6, 0.6),
        ),
        (
            "unclear_status",
            "Nobody really knows what being an ambassador means or gives.",
            "Никто толком не понимает, что значит быть амбассадором и что это даёт.",
            -0.5,
            (0.5, 0.55, 0.5, 0.45),
        ),
        (
            "no_time_to_prepare",
            "A good talk needs two weeks of preparation I simply do not have.",
            "Хорошему докладу нужна пара недель подготовки, которых у меня нет.",
            -0.6,
            (0.6, 0.5, 0.4, 0.3),
        ),
        (
            "approval_red_tape",
            "Getting a talk approved for an external conference takes longer than writing it.",
            "Согласовать внешний доклад дольше, чем его написать.",
            -0.5,
            (0.2, 0.3, 0.35, 0.3),
        ),
        (
            "lack_of_feedback",
            "I spoke twice and never heard whether it helped anyone.",
            "Я выступил дважды и так и не узнал, помогло ли это кому-то.",
            -0.3,
            (0.15, 0.25, 0.3, 0.35),
        ),
    ],
    "need": [
        (
            "clear_role",
            "Tell me what is expected of me in a quarter, and I will plan for it.",
            "Скажите, чего от меня ждут в квартал, и я это запланирую.",
            0.1,
            (0.6, 0.6, 0.5, 0.5),
        ),
        (
            "speaker_support",
            "Help with slides and rehearsal would make me say yes more often.",
            "Помощь со слайдами и репетицией — и я буду соглашаться чаще.",
            0.2,
            (0.5, 0.4, 0.4, 0.45),
        ),
        (
            "ready_formats",
            "Give me short formats that fit between meetings.",
            "Нужны короткие форматы, которые помещаются между встречами.",
            0.1,
            (0.7, 0.5, 0.35, 0.25),
        ),
        (
            "visibility_to_management",
            "I want my manager to see this work as part of my job.",
            "Хочу, чтобы руководитель видел эту работу как часть моей роли.",
            0.0,
            (0.2, 0.4, 0.5, 0.5),
        ),
        (
            "peer_network",
            "The best part is meeting people from other divisions.",
            "Самое ценное — знакомство с коллегами из других блоков.",
            0.4,
            (0.4, 0.4, 0.45, 0.4),
        ),
    ],
    "motivation": [
        (
            "personal_brand",
            "Speaking outside builds my name in the industry.",
            "Выступления вовне развивают моё имя в отрасли.",
            0.6,
            (0.4, 0.5, 0.55, 0.5),
        ),
        (
            "recognition",
            "A small personal thank-you from the club means a lot.",
            "Небольшая личная благодарность от клуба значит очень много.",
            0.6,
            (0.3, 0.4, 0.45, 0.5),
        ),
        (
            "learning_from_peers",
            "I come to learn how other teams solve the same problems.",
            "Я прихожу узнать, как другие команды решают те же задачи.",
            0.5,
            (0.3, 0.4, 0.5, 0.55),
        ),
        (
            "influence",
            "Through the club I can shape how the bank is seen as a tech leader.",
            "Через клуб я влияю на то, как банк видят технологическим лидером.",
            0.7,
            (0.6, 0.45, 0.3, 0.2),
        ),
    ],
    "idea": [
        (
            "generation_sessions",
            "Regular generation sessions would turn ideas into products.",
            "Регулярные генерационные сессии превращали бы идеи в продукты.",
            0.4,
            (0.3, 0.35, 0.35, 0.3),
        ),
        (
            "personal_merch",
            "Personal merch would make the status visible.",
            "Персональный мерч сделал бы статус заметным.",
            0.3,
            (0.1, 0.2, 0.3, 0.4),
        ),
        (
            "buddy_programme",
            "Pair each newcomer with an experienced ambassador.",
            "Закреплять за каждым новичком опытного амбассадора.",
            0.4,
            (0.2, 0.3, 0.35, 0.3),
        ),
        (
            "content_calendar",
            "A shared calendar of talks would stop last-minute requests.",
            "Общий календарь выступлений избавил бы от просьб в последний момент.",
            0.3,
            (0.4, 0.35, 0.25, 0.2),
        ),
    ],
    "value": [
        (
            "expertise_sharing",
            "Sharing what we know is why I joined.",
            "Делиться знаниями — вот зачем я пришёл.",
            0.7,
            (0.4, 0.45, 0.5, 0.55),
        ),
        (
            "leadership_by_example",
            "Ambassadors should be role models for their teams.",
            "Амбассадоры должны быть ролевыми моделями для своих команд.",
            0.7,
            (0.5, 0.45, 0.35, 0.25),
        ),
        (
            "openness",
            "The club is a place where you can say what does not work.",
            "Клуб — место, где можно сказать, что не работает.",
            0.6,
            (0.25, 0.3, 0.35, 0.35),
        ),
    ],
}

INTERVIEWERS = ["Curator team A", "Curator team B", "Research partner"]
