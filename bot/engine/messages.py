"""What the bot says when it is not quoting the documents, in both languages.

These are interface texts only: no fact about the program lives here (facts are in knowledge/).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "decline": {
        # (not "don't cover that": a near miss may be a question they answer, worded otherwise)
        "en": "I'm sorry, I couldn't find the answer to that in the program documents I answer "
              "from, so I won't guess. "
              "I can answer questions about the salary and support, who can apply, the info "
              "sessions abroad, the research centers and their partners. If you need more, I can "
              "pass your question to a staff member.",
        "ko": "죄송합니다. 제가 참고하는 사업 문서에서 그 답을 찾지 못해 추측해서 답하지 않겠습니다. "
              "연봉과 지원, 지원 대상, 해외 설명회, 연구단과 참여 기관에 대해서는 답할 수 있습니다. "
              "더 필요하시면 담당자에게 질문을 전달해 드릴 수 있습니다.",
    },
    "to_person": {
        "en": "I can pass your question to a staff member, who will answer it here. Tell me what "
              "you would like to know: I answer what the program documents cover right away, and "
              "pass on anything else.",
        "ko": "질문을 담당자에게 전달해 드릴 수 있고, 담당자의 답변은 이곳으로 드립니다. 궁금하신 내용을 "
              "알려 주세요. 사업 문서에 있는 내용은 바로 답해 드리고, 그 밖의 질문은 담당자에게 전달해 "
              "드립니다.",
    },
    "notices_too": {
        "en": "I can also answer from these notices: {titles}.",
        "ko": "다음 공지의 내용도 답할 수 있습니다: {titles}.",
    },
    "near_topics": {
        "en": "The closest parts of the documents are: {topics}. If you meant one of them, "
              "please ask again in other words.",
        "ko": "문서에서 가장 가까운 내용은 다음과 같습니다: {topics}. 이 가운데 궁금하신 내용이 "
              "있다면 다른 말로 다시 물어봐 주세요.",
    },
    "pick_by_number": {
        "en": "Type its number to read one of them:",
        "ko": "번호를 입력하시면 그 내용을 보여 드립니다:",
    },
    "part_not_covered": {
        "en": "(The documents I answer from don't cover this part of your question: “{part}”.)",
        "ko": "(질문 가운데 “{part}”에 대한 내용은 제가 참고하는 문서에 없습니다.)",
    },
    "greeting": {
        "en": "Hello! I answer questions about the InnoCORE postdoc program from its official "
              "documents: salary, eligibility, info sessions and the research centers. "
              "Ask me anything about them, in English or Korean.",
        "ko": "안녕하세요! 이노코어(InnoCORE) 박사후연구원 사업의 공식 문서를 바탕으로 연봉, 지원 대상, "
              "설명회, 연구단에 대한 질문에 답해 드립니다. 한국어나 영어로 물어보세요.",
    },
    "thanks": {
        "en": "You're welcome! Ask me anything else about the program.",
        "ko": "천만에요! 사업에 대해 더 궁금한 점이 있으면 물어보세요.",
    },
    "ack": {
        "en": "Sure. Ask me anything else about the InnoCORE program.",
        "ko": "네, 이노코어 사업에 대해 더 궁금한 점이 있으면 물어보세요.",
    },
    "farewell": {
        "en": "Goodbye, and good luck! Come back any time with questions about InnoCORE.",
        "ko": "감사합니다. 이노코어에 대해 궁금한 점이 생기면 언제든 다시 물어보세요.",
    },
    "help": {
        "en": "I'm the InnoCORE assistant, a bot that answers questions about the InnoCORE "
              "postdoc program. Ask me a question in English or Korean, for example: “How much is the salary?”, "
              "“Who can apply?”, “When are the info sessions?”, “Which research centers are "
              "there?”. I answer only from the program's documents and cite them; when they "
              "don't cover something I say so and can pass you to a person.",
        "ko": "이노코어(InnoCORE) 박사후연구원 사업에 대한 질문에 답하는 안내 봇입니다. "
              "한국어나 영어로 질문해 주세요. 예: “연봉은 얼마인가요?”, “누가 지원할 수 있나요?”, "
              "“설명회는 언제 하나요?”, “어떤 연구단이 있나요?”. 사업 문서에 있는 내용만 출처와 함께 "
              "답하고, 문서에 없는 내용은 없다고 말씀드린 뒤 담당자 연결을 도와드립니다.",
    },
    "empty": {
        "en": "Please type your question as text, for example “How much is the salary?”.",
        "ko": "질문을 글로 입력해 주세요. 예: “연봉은 얼마인가요?”",
    },
    "too_long": {
        "en": "Your message is too long for me. Please ask one question in a sentence or two.",
        "ko": "메시지가 너무 깁니다. 한두 문장으로 질문 하나씩 보내 주세요.",
    },
    "other_language": {
        "en": "(This part is only available in Korean:)",
        "ko": "(이 내용은 영어 문서에만 있습니다:)",
    },
    "next_event": {"en": "Next: {item}", "ko": "다음 일정: {item}"},
    "all_past": {
        "en": "All of the dates listed in “{title}” have already passed:",
        "ko": "“{title}”에 나온 일정은 모두 이미 지났습니다:",
    },
    "past_marker": {"en": " (already took place)", "ko": " (이미 지남)"},
}


def text(key: str, lang: str, **values: str) -> str:
    template = TEXTS[key].get(lang) or TEXTS[key]["en"]
    return template.format(**values) if values else template
