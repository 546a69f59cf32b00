"""The bot's own words in Korean and English: menus, notes and confirmations.

These are interface strings, not facts. Every fact the applicant reads comes from the engine;
the menu topics below are only the questions a button asks the engine on the user's behalf.
"""

from __future__ import annotations

LANGS = ("ko", "en")

# Menu topics: callback/command name -> the question asked for the user, per language.
TOPICS: dict[str, dict[str, str]] = {
    "salary": {"ko": "이노코어 포닥의 연봉은 얼마인가요?",
               "en": "What is the salary of an InnoCORE postdoc?"},
    "eligibility": {"ko": "이노코어 지원 대상은 누구인가요?",
                    "en": "Who is InnoCORE for?"},
    "sessions": {"ko": "이노코어 채용설명회는 언제, 어디서 열리나요?",
                 "en": "Where and when are the InnoCORE info sessions?"},
    "centers": {"ko": "이노코어 연구단에는 어떤 곳들이 있나요?",
                "en": "Which InnoCORE research centers are there?"},
}

# Bilingual labels: the menu is shown before we know the user's language.
MENU_LABELS: dict[str, str] = {
    "salary": "💰 급여 · Salary",
    "eligibility": "✅ 지원 자격 · Eligibility",
    "sessions": "📅 설명회 · Info sessions",
    "centers": "🔬 연구센터 · Research centers",
    "human": "🙋 담당자 · Talk to a person",
}

TEXTS: dict[str, dict[str, str]] = {
    "ko": {
        "help": (
            "InnoCORE 박사후연구원 지원에 관한 질문에 답해 드립니다. 질문을 한국어나 영어로 "
            "보내 주세요.\n\n"
            "/salary 급여 · /eligibility 지원 자격 · /sessions 설명회 · /centers 연구센터\n"
            "/human 담당자에게 문의 · /lang 언어 선택 · /start 메뉴"
        ),
        "sources": "출처",
        "helpful": "👍 도움됨",
        "not_helpful": "👎 도움 안 됨",
        "handoff_button": "🙋 담당자에게 물어보기",
        "feedback_thanks": "의견 감사합니다!",
        "feedback_gone": "이 질문의 기록이 더 이상 없습니다.",
        "near_gone": "그 내용을 다시 찾을 수 없습니다. 질문을 다시 보내 주세요.",
        "handoff_ask": "담당자에게 전달할 질문을 한 메시지로 보내 주세요.",
        "handoff_done": "질문을 담당자에게 전달했습니다 (문의 #{ticket}). 답변이 오면 여기로 "
                        "보내 드리겠습니다.",
        "handoff_already": "이 질문은 이미 담당자에게 전달되었습니다 (문의 #{ticket}).",
        "handoff_expired": "이 질문을 다시 찾을 수 없습니다. 담당자에게 전달할 질문을 한 "
                           "메시지로 다시 보내 주세요.",
        "staff_header": "🧑‍💼 담당자가 질문에 답변했습니다",
        "your_question": "질문",
        "lang_pick": "답변 언어를 선택하세요.",
        "lang_set": "앞으로 한국어로 답변합니다.",
        "lang_auto": "질문의 언어로 답변합니다.",
        "not_text": "텍스트로 된 질문에만 답할 수 있습니다. 질문을 글로 보내 주세요.",
        "too_long": "질문이 너무 깁니다 ({limit:,}자 이하). 짧게 나누어 보내 주세요.",
        "flood": "메시지가 너무 빠르게 오고 있습니다. 잠시 후 다시 보내 주세요.",
        "apology": "죄송합니다. 답변을 만드는 중에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
    },
    "en": {
        "help": (
            "I answer questions about applying for an InnoCORE postdoc position. Send your "
            "question in English or Korean.\n\n"
            "/salary salary · /eligibility eligibility · /sessions info sessions · "
            "/centers research centers\n"
            "/human talk to a person · /lang reply language · /start menu"
        ),
        "sources": "Sources",
        "helpful": "👍 Helpful",
        "not_helpful": "👎 Not helpful",
        "handoff_button": "🙋 Ask a person",
        "feedback_thanks": "Thank you for your feedback!",
        "feedback_gone": "This question is no longer on record.",
        "near_gone": "I can no longer find that part of the documents. Please ask your "
                     "question again.",
        "handoff_ask": "Please send the question for our staff in one message.",
        "handoff_done": "I passed your question to our staff (ticket #{ticket}). Their answer "
                        "will arrive in this chat.",
        "handoff_already": "This question was already passed to our staff (ticket #{ticket}).",
        "handoff_expired": "I can no longer find that question. Please send the question for "
                           "our staff again in one message.",
        "staff_header": "🧑‍💼 A staff member answered your question",
        "your_question": "Your question",
        "lang_pick": "Choose the language of my replies.",
        "lang_set": "I will reply in English from now on.",
        "lang_auto": "I will reply in the language of each question.",
        "not_text": "I can only answer text questions. Please type your question.",
        "too_long": "That message is too long (limit {limit:,} characters). Please send a "
                    "shorter question.",
        "flood": "You are sending messages very quickly. Please wait a minute and try again.",
        "apology": "Sorry, something went wrong while preparing my answer. Please try again "
                   "in a moment.",
    },
}

# /start: both languages at once, since the user has not chosen yet.
WELCOME = (
    "안녕하세요! InnoCORE 박사후연구원 지원 안내 봇입니다. 질문을 보내거나 아래 메뉴를 "
    "눌러 주세요.\n\n"
    "Hello! I answer questions about the InnoCORE postdoc program. Send a question or pick a "
    "topic below."
)

LANG_BUTTONS = (("ko", "한국어"), ("en", "English"), ("auto", "자동 · Auto"))

COMMAND_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "start": {"ko": "메뉴", "en": "Menu"},
    "help": {"ko": "도움말", "en": "Help"},
    "salary": {"ko": "급여와 지원", "en": "Salary and support"},
    "eligibility": {"ko": "지원 자격", "en": "Eligibility"},
    "sessions": {"ko": "설명회", "en": "Info sessions"},
    "centers": {"ko": "연구센터", "en": "Research centers"},
    "human": {"ko": "담당자에게 문의", "en": "Talk to a person"},
    "lang": {"ko": "답변 언어", "en": "Reply language"},
}


def text(lang: str | None, key: str, **values: object) -> str:
    """The interface string `key` in `lang` (English when the language is unknown)."""
    table = TEXTS.get(lang or "en", TEXTS["en"])
    return table[key].format(**values) if values else table[key]
