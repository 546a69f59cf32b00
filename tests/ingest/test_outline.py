"""Plain-text notices (.txt, PDF text) are split at their own headings."""

from __future__ import annotations

from bot.ingest.outline import outline_headings


def headings(text: str) -> list[str]:
    return [p[3:] for p in outline_headings(text).split("\n\n") if p.startswith("## ")]


def test_numbered_items_of_a_korean_notice_are_sections():
    text = ("공고 내용은 다음과 같습니다.\n\n1. 모집 기간\n\n2026-12-01부터 접수합니다.\n\n"
            "2. 제출 서류\n\n가. 이력서 1부\n\n나. 연구계획서 1부\n\n3. 문의처\n\n이메일로 문의합니다.")
    assert headings(text) == ["1. 모집 기간", "2. 제출 서류", "3. 문의처"]


def test_a_numbered_list_is_not_a_list_of_headings():
    text = "Bring these documents.\n\n1. A CV\n\n2. A research plan\n\n3. Two letters"
    assert headings(text) == []


def test_each_question_of_a_qa_notice_heads_its_answer():
    text = "Q1. 나이 제한이 있나요?\n\nA. 없습니다.\n\nQ2. Is Korean required?\n\nA. No, it is not."
    assert headings(text) == ["Q1. 나이 제한이 있나요?", "Q2. Is Korean required?"]


def test_short_unnumbered_lines_between_paragraphs_are_headings():
    text = ("The institutes hold an online session.\n\nRegistration\n\n"
            "Participants register in advance with the online form.\n\nContact\n\n"
            "Write to the events office with any question about the session.")
    assert headings(text) == ["Registration", "Contact"]


def test_sentences_and_labels_are_not_headings():
    text = ("The session is free.\n\nIt is held online.\n\nDeadline: 12 January\n\n"
            "Seats are limited to the first three hundred people who register.")
    assert headings(text) == []


def test_a_marked_short_line_is_a_heading_but_a_marked_paragraph_is_text():
    text = ("◇ 사업 개요\n\n이노코어는 박사후연구원을 채용합니다.\n\n"
            "□ 과학기술정보통신부는 4대 과학기술원과 함께 연구단 8곳을 선정했다고 밝혔다.\n\n"
            "연구단은 올해부터 연구를 시작합니다.")
    assert headings(text) == ["사업 개요"]
    assert "□ 과학기술정보통신부는" in outline_headings(text)


def test_a_heading_may_name_a_year_but_a_line_with_a_date_stays_text():
    text = ("The session is recorded.\n\nApplicants of the December 2026 call\n\n"
            "Candidates in the interview stage of that call are welcome to attend the session too.\n\n"
            "Boston 18 June\n\nThe first session takes place at a hotel near the campus.")
    assert headings(text) == ["Applicants of the December 2026 call"]


def test_a_sentence_that_wraps_before_its_year_stays_one_paragraph():
    from bot.ingest.cleaning import rejoin_lines

    lines = ["This guide is for postdoctoral researchers who join a research center on 1 September",
             "2027. It explains what to prepare before you arrive and what happens in the first",
             "week, and which trainings every new postdoctoral researcher must complete soon."]
    assert "\n" not in rejoin_lines("\n".join(lines)).strip()


def test_a_korean_date_cut_after_its_year_is_joined_again():
    from bot.ingest.cleaning import rejoin_lines

    lines = ["□ 기한을 넘긴 신청은 받지 않으니 유의하시기 바랍니다. 신청은 다음 기간에 받습니다: 2026.",
             "12. 1.(화) ~ 2026. 12. 15.(화) 18:00까지 온라인으로 신청하십시오. 신청서는 홈페이지에서 받",
             "습니다."]
    assert rejoin_lines("\n".join(lines)).strip() == (
        "□ 기한을 넘긴 신청은 받지 않으니 유의하시기 바랍니다. 신청은 다음 기간에 받습니다: 2026. "
        "12. 1.(화) ~ 2026. 12. 15.(화) 18:00까지 온라인으로 신청하십시오. 신청서는 홈페이지에서 받습니다.")


def test_roman_numeral_characters_number_headings():
    text = ("이노코어 한국어 교육 과정을 안내합니다.\n\nⅠ. 개요\n\n박사후연구원을 위한 한국어 교육을 엽니다.\n\n"
            "Ⅱ. 신청 방법\n\n온라인 신청서를 제출합니다.\n\nⅢ. 문의\n\n교육 담당자에게 이메일로 문의합니다.")
    assert headings(text) == ["Ⅰ. 개요", "Ⅱ. 신청 방법", "Ⅲ. 문의"]


def test_a_numbered_label_with_its_value_is_an_item_not_a_heading():
    text = ("주거 지원 신청 안내입니다.\n\n1. 신청 방법\n\n신청서를 작성합니다.\n\n"
            "3) 제출 방법: 전자우편(housing@example.org)으로 제출\n\n서류는 한 번에 보냅니다.")
    assert headings(text) == ["1. 신청 방법"]


def test_a_pdf_table_row_keeps_its_cells_apart_and_its_own_line():
    from bot.ingest.cleaning import rejoin_lines

    text = rejoin_lines("The office covers the following items at most, per person and stay:\n"
                        "Item                Amount (KRW)        Notes\n"
                        "Living stipend      2,500,000 / month   paid in advance\n"
                        "Round-trip airfare   1,800,000           economy class only\n")
    assert text.split("\n\n")[1:] == ["Item | Amount (KRW) | Notes",
                                      "Living stipend | 2,500,000 / month | paid in advance",
                                      "Round-trip airfare | 1,800,000 | economy class only\n"]


def test_a_bullet_a_pdf_draws_apart_from_its_item_starts_the_item():
    from bot.ingest.cleaning import rejoin_lines

    # what pypdf gives for a reportlab bullet list: each bullet on a line of its own
    text = rejoin_lines("The residence has three types of units:\n•\n"
                        "Studio (26 m²), 30 units: KRW 380,000 per month\n•\n"
                        "One-bedroom (42 m²), 12 units: KRW 560,000 per month\n")
    assert text.split("\n\n") == ["The residence has three types of units:",
                                   "• Studio (26 m²), 30 units: KRW 380,000 per month",
                                   "• One-bedroom (42 m²), 12 units: KRW 560,000 per month\n"]


def test_a_hyphen_at_a_line_end_stays_unless_the_document_spells_the_word_whole():
    from bot.ingest.cleaning import rejoin_lines

    text = rejoin_lines("Allowances are one-\ntime payments, and every recom-\nmendation letter "
                        "counts: send one recommendation letter per referee to the office.")
    assert "one-time payments" in text and "every recommendation letter" in text


def test_a_heading_above_a_list_numbered_otherwise_heads_it():
    text = ("2차 모집 공고입니다.\n\n3. 모집 인원\n\n연구단별 약 20명을 모집합니다.\n\n4. 제출 방법\n\n"
            "1) 제출 방법: 전자우편(apply@example.org)으로 제출\n\n2) 제출 서류: 지원서, 추천서 2부\n\n"
            "5. 문의\n\n사무국으로 문의합니다.")
    assert headings(text) == ["3. 모집 인원", "4. 제출 방법", "5. 문의"]


def test_an_outline_of_two_levels_keeps_the_parts_above_their_items():
    text = ("한국어 교육과정 운영 계획입니다.\n\nⅠ. 개요\n\n1. 목적\n\n한국어 교육을 운영한다.\n\n"
            "2. 운영 기간\n\n총 16주 운영한다.\n\nⅡ. 신청 방법\n\n1. 신청 기간\n\n2월 중 신청한다.\n\n"
            "Ⅲ. 문의\n\n국제협력팀으로 문의한다.")
    marked = [p for p in outline_headings(text).split("\n\n") if p.startswith("#")]
    assert marked == ["## Ⅰ. 개요", "### 1. 목적", "### 2. 운영 기간", "## Ⅱ. 신청 방법",
                      "### 1. 신청 기간", "## Ⅲ. 문의"]


def test_the_inner_headings_are_cited_with_their_part():
    from bot.ingest.chunking import split_sections

    text = outline_headings("계획입니다.\n\nⅠ. 개요\n\n1. 목적\n\n교육을 운영한다.\n\nⅡ. 문의\n\n메일로 문의한다.")
    assert [h for h, _ in split_sections(text, "계획")] == ["계획", "Ⅰ. 개요 › 1. 목적", "Ⅱ. 문의"]


def test_the_last_item_of_a_list_is_no_heading():
    # "3) ..." above "2. 지원 내용" ends the list of part 1; read as a heading, it would drop out
    # of every quoted answer and head the part after it
    text = ("1. 지원 대상\n\n1) 연구단에 재직 중인 박사후연구원\n\n2) 학회에서 직접 발표하는 사람\n\n"
            "3) 본인 사정으로 취소한 출장의 비용은 지원하지 않음\n\n2. 지원 내용\n\n1회 최대 300만 원입니다.")
    assert headings(text) == ["1. 지원 대상", "2. 지원 내용"]
    assert "3) 본인 사정으로" in outline_headings(text)


def test_a_blank_line_ends_a_paragraph_of_plain_text():
    from bot.ingest.cleaning import rejoin_lines

    # a .txt notice's title above its first paragraph: once glued into "공고이노코어"
    text = ("2026년 이노코어 박사후연구원 국제학술대회 참가 여비 지원 공고\n\n"
            "이노코어 공동 포닥지원센터 공고 제2026-07호\n\n"
            "이노코어 박사후연구원의 연구성과 발표를 지원하기 위하여 여비 지원 계획을 공고합니다.\n\n"
            "1. 지원 내용\n 1) 국외 학술대회: 1회 최대 3,000,000원\n 2) 국내 학술대회: 1회 최대 600,000원\n"
            " 3) 연간 한도: 1인당 2회")
    assert rejoin_lines(text).split("\n\n")[:2] == [
        "2026년 이노코어 박사후연구원 국제학술대회 참가 여비 지원 공고",
        "이노코어 공동 포닥지원센터 공고 제2026-07호"]


def test_a_numbered_heading_below_a_sentence_ending_in_a_year_is_not_a_cut_date():
    from bot.ingest.cleaning import rejoin_lines

    # read as a Korean date cut after its year ("2026." / "12. 15."), the heading of part 4
    # was glued to the end of part 3 in four notices' PDF text
    lines = ["New postdocs must complete Track A within 14 days of their start date and any",
             "on-site track within 60 days. Postdocs employed before this notice must hold the",
             "certificate of the InnoCORE Laboratory Safety Desk by Tuesday, 31 March 2026.",
             "4. On-site Session Schedule",
             "Track B sessions take place on Tuesday 10 February and Tuesday 17 March 2026."]
    text = rejoin_lines("\n".join(lines))
    assert headings(text) == ["4. On-site Session Schedule"]


def test_a_heading_underlined_with_a_rule_keeps_no_rule_in_its_text():
    from bot.ingest.cleaning import rejoin_lines

    text = rejoin_lines("CAREER FAIR 2026\n\n1. DATES AND VENUE\n==================\n\n"
                        "* Day 1: employer booths in the Grand Hall.\n\n"
                        "2. REGISTRATION\n---------------\n\n* Register by e-mail.\n")
    assert "===" not in text and "---" not in text
    assert headings(text) == ["1. DATES AND VENUE", "2. REGISTRATION"]


def test_an_attachment_line_of_a_korean_notice_is_not_glued_to_the_contact_above_it():
    from bot.ingest.cleaning import rejoin_lines

    text = rejoin_lines("- 전자우편: oa-apc@example.org, 문의 가능 시간: 평일 10:00~17:00\n"
                        "붙임 1. 게재료 지원 신청서 1부.\n붙임 2. 부실 학술지 의심 목록 1부. 끝.\n")
    assert text.split("\n\n")[1:] == ["붙임 1. 게재료 지원 신청서 1부.",
                                      "붙임 2. 부실 학술지 의심 목록 1부. 끝.\n"]
    # ...but a sentence that wraps before "붙임 1을 참고" goes on
    assert rejoin_lines("자세한 내용은 누리집 공지사항과 \n붙임 1을 참고하시기 바랍니다.\n") == (
        "자세한 내용은 누리집 공지사항과 붙임 1을 참고하시기 바랍니다.\n")


def test_korean_words_that_a_pdf_line_break_parts_are_spaced_as_their_morphemes_say():
    # A PDF without trailing spaces at its line ends: nothing in the text tells a word cut at
    # the break ("연" / "구를") from two words ("논문의" / "게재료를")
    from bot.engine.analyzer import default_analyzer
    from bot.ingest.cleaning import rejoin_lines

    text = rejoin_lines(
        "이노코어 공동 포닥지원센터는 박사후연구원이 저자로 참여한 오픈액세스 논문의\n"
        "게재료를 논문 1편 단위로 지원하며, 학술지에 실리면서 저자가 비용을 부담하는\n"
        "논문만 대상으로 합니다. 신청은 게재 승인일을 기준으로 60일 안에 해야 하며 첨단전략 연\n"
        "구를 수행하는 연구단 소속이어야 하고, 지원 한도는 학술지 등급에 따라 달라집니\n"
        "다. 한도를 넘는 금액은 소속 연구단의 연구비로 부담합니다.\n"
        "가. 지원 내용: 이노코어 박사후연구원이 저자로 참여한 오픈액세스 논문의\n"
        "나. 신청 기간: 2026년 3월 16일(월)부터 12월 11일(금)까지\n", default_analyzer())
    first, *items = text.strip().split("\n\n")
    for words in ("논문의 게재료를", "실리면서 저자가", "부담하는 논문만", "첨단전략 연구를"):
        assert words in first
    # "다." completes "달라집니": the sentence goes on, no item "다." starts there
    assert "달라집니다. 한도를 넘는 금액은" in first
    assert [item[:2] for item in items] == ["가.", "나."]


def test_a_space_that_a_pdf_moves_to_the_start_of_the_next_line_still_parts_two_words():
    from bot.engine.analyzer import default_analyzer
    from bot.ingest.cleaning import rejoin_lines

    text = rejoin_lines("국내에서는 그동안 포닥을 임시직으로 보는 인식이 강해, 지원 규모와 처우 등\n"
                        " 포닥생태계를 키우기 위한 지원이 부족했고, 국내 박사학위자가 해외로 많이\n"
                        "나갔습니다.\n", default_analyzer())
    assert text == ("국내에서는 그동안 포닥을 임시직으로 보는 인식이 강해, 지원 규모와 처우 등 "
                    "포닥생태계를 키우기 위한 지원이 부족했고, 국내 박사학위자가 해외로 많이 "
                    "나갔습니다.\n")


def test_brackets_particles_counters_and_middle_dots_at_a_korean_pdf_line_break_join_as_written():
    from bot.engine.analyzer import default_analyzer
    from bot.ingest.cleaning import rejoin_lines

    # lines of one width, as a page's are: none is short enough to end a paragraph
    text = rejoin_lines("이 연구단에는 서울대, MIT(매사추세츠공대), DLR/NLR(\n"
                        "독일/네덜란드 항공우주연구원)이 참여하며, 평균 연봉은 MIT(약 8만 달러)\n"
                        "의 41% 수준이었고, 이번에는 모두 합쳐서 연구단 8\n"
                        "개가 새로 선정되었으며, 각 연구단은 여러 국내\n"
                        "·외 기업, 대학과 함께 연구하고 독일의 막스플랑크연구소\n"
                        "(MPI)와 미국의 하버드대학교도 참여하며, 그중 UNIST\n"
                        "가 주관하는 연구단에는 가장 많은 기관이 참여합니다.\n", default_analyzer())
    assert text == ("이 연구단에는 서울대, MIT(매사추세츠공대), DLR/NLR(독일/네덜란드 항공우주연구원)이 "
                    "참여하며, 평균 연봉은 MIT(약 8만 달러)의 41% 수준이었고, 이번에는 모두 합쳐서 "
                    "연구단 8개가 새로 선정되었으며, 각 연구단은 여러 국내·외 기업, 대학과 함께 연구하고 "
                    "독일의 막스플랑크연구소(MPI)와 미국의 하버드대학교도 참여하며, 그중 UNIST가 "
                    "주관하는 연구단에는 가장 많은 기관이 참여합니다.\n")


def test_the_items_of_a_korean_notice_marked_with_the_letter_ieung_stay_items():
    from bot.ingest.cleaning import rejoin_lines

    text = rejoin_lines("□ 사업 목적\nㅇ 연구 역량을 높이기 위하여 개인 연구장비 구입비를 지원함\n"
                        "ㅇ 지원 규모: 총 50명 내외, 1인당 최대 500만 원\n"
                        "◦ 다른 사업에서 같은 장비를 지원받은 자는 신청할 수 없음\n"
                        "ㆍ 연구단장의 추천을 받은 자\n")
    assert text.strip().split("\n\n") == [
        "□ 사업 목적", "ㅇ 연구 역량을 높이기 위하여 개인 연구장비 구입비를 지원함",
        "ㅇ 지원 규모: 총 50명 내외, 1인당 최대 500만 원",
        "◦ 다른 사업에서 같은 장비를 지원받은 자는 신청할 수 없음", "ㆍ 연구단장의 추천을 받은 자"]
    assert headings(text) == ["사업 목적"]
