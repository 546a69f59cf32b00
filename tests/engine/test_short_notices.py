"""A short notice is quoted whole only when a reply can hold all of its sections; each source
says how well it matches the question, and the best one is cited first."""

from __future__ import annotations

import pytest

from bot.engine import Assistant
from tests.conftest import engine_with_notices

# Short (under 900 characters) but in eight parts: more than a reply quotes.
SHUTTLE = """InnoCORE campus shuttle

Route

The shuttle runs between the station and the campus.

Morning

Buses leave the station at 8:00 and 8:30.

Evening

Buses leave the campus at 18:00 and 18:30.

Weekends

There is no service on weekends.

Holidays

There is no service on public holidays.

Fare

The shuttle is free for InnoCORE postdocs.

Passes

Show your staff ID card when you board.

Contact

Questions about the shuttle go to shuttle-desk@example.org.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Assistant:
    return engine_with_notices(tmp_path_factory.mktemp("short-notice"), {"shuttle.en.txt": SHUTTLE})


def test_the_part_of_a_short_notice_that_answers_is_quoted_and_cited_first(engine):
    reply = engine.ask("Who do I contact about the campus shuttle?")
    assert reply.answered and "shuttle-desk@example.org" in reply.answer
    assert reply.sources[0].section == "Contact"


@pytest.mark.parametrize("question", ["Who do I contact about the campus shuttle?",
                                      "항공우주 연구단 참여기관 알려줘", "What is InnoCORE?"])
def test_every_source_has_its_match_and_the_best_comes_first(engine, question):
    scores = [source.score for source in engine.ask(question).sources]
    assert scores and all(score > 0 for score in scores)
    assert scores == sorted(scores, reverse=True)
