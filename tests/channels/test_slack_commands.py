"""`/innocore ...` over real HTTP: what the command answers at once (the HTTP response to the
signed request), and what it sends later to the command's response_url."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from bot.store import open_store
from tests.fakes.slack_api import ADMIN, running_app

STAFF = "USTAFF"  # a staff member who is not an administrator


@pytest.fixture
async def slack(settings, assistant):
    with open_store(settings.db) as store:
        async with running_app(settings, assistant, store) as scenario:
            yield scenario


async def command(slack, text: str, *, user_id: str = ADMIN, name: str = "cmd") -> str:
    """Run `/innocore TEXT`; return the text it answered with at once ("" when none)."""
    status, body = await slack.send.command(text, user_id=user_id,
                                            response_url=slack.api.response_url(name))
    assert status == 200
    # bolt answers ack(text=...) as a plain-text body, and ack(blocks=...) as JSON
    return json.loads(body).get("text", "") if body.startswith("{") else body


def to(name: str):
    return lambda call: call.path.endswith(f"/{name}")


async def test_ask_answers_with_the_question_sources_and_scores(slack):
    assert await command(slack, "ask What is the salary of an InnoCORE postdoc?", user_id=STAFF,
                         name="ask") == ""

    reply = await slack.api.wait_for("respond", to("ask"))
    shown = reply.text()
    assert "\n> What is the salary of an InnoCORE postdoc?" in shown
    assert "90" in shown and "score 0." in shown
    assert reply.args.get("response_type", "ephemeral") == "ephemeral"


@pytest.mark.parametrize("text", ["help", "", "ask"])
async def test_help_an_empty_command_and_ask_without_a_question_show_usage(slack, text):
    shown = await command(slack, text, user_id=STAFF)
    for sub in ("ask QUESTION", "stats", "gaps", "reingest"):
        assert sub in shown


async def test_an_unknown_subcommand_shows_usage(slack):
    shown = await command(slack, "frobnicate now", user_id=STAFF)
    assert "I don't know `frobnicate now`" in shown
    assert "/innocore ask QUESTION" in shown


@pytest.mark.parametrize("sub", ["stats", "gaps", "reingest", "STATS 7"])
async def test_administrative_commands_are_refused_to_non_admins(slack, sub):
    shown = await command(slack, sub, user_id=STAFF)
    assert "for administrators only" in shown and STAFF in shown
    assert slack.api.calls_to("respond") == []


async def test_stats_counts_questions_declines_feedback_and_open_tickets(slack):
    store = slack.store
    first = store.record_question(channel="telegram", user_key="a", question="salary?", lang="en",
                                  answered=True, declined=False, top_source="faq")
    store.record_question(channel="telegram", user_key="b", question="parking?", lang="en",
                          answered=False, declined=True, top_source=None)
    store.record_feedback(first, True)
    store.open_ticket(channel="telegram", chat_id="42", question="parking?", lang="en",
                      attempted_answer="I don't know")

    shown = await command(slack, "stats")
    assert "Questions: *2*" in shown
    assert "1 answered" in shown and "1 declined" in shown and "*50%*" in shown
    assert ":+1: 1" in shown and ":-1: 0" in shown
    assert "Open hand-off tickets: *1*" in shown
    assert "all time" in (await command(slack, "stats")) and "last 7 days" in (
        await command(slack, "stats 7"))


async def test_gaps_lists_the_most_often_declined_questions(slack):
    for question in ["Where do I park?", "where do i park", "Is there a dress code?"]:
        slack.store.record_question(channel="telegram", user_key="u", question=question,
                                    lang="en", answered=False, declined=True, top_source=None)
    # ...and a part of a question an answer left open
    slack.store.record_question(channel="telegram", user_key="u", question="Salary? Parking?",
                                lang="en", answered=True, declined=False, top_source="salary.md",
                                open_parts=["Where do I park?"])

    shown = await command(slack, "gaps")
    lines = shown.splitlines()
    assert "last 30 days" in lines[0]
    assert "park" in lines[1] and "3×" in lines[1]
    assert "dress code" in lines[2] and "1×" in lines[2]


async def test_gaps_with_nothing_declined_says_so(slack):
    assert "No unanswered questions in the last 14 days" in await command(slack, "gaps 14")


async def test_reingest_runs_ingest_and_posts_its_report_to_the_channel(settings, assistant,
                                                                         tmp_path):
    knowledge, index = tmp_path / "knowledge", tmp_path / "index"
    shutil.copytree(settings.knowledge_dir, knowledge)
    shutil.copytree(settings.index_dir, index)
    (knowledge / "faq" / "parking.en.md").write_text(
        "---\ntitle: Parking\n---\n# Parking\n\nVisitors park in lot B by the main gate.\n")
    settings = dataclasses.replace(settings, knowledge_dir=knowledge, index_dir=index)

    with open_store(settings.db) as store:
        async with running_app(settings, assistant, store) as slack:
            assert "Re-ingesting" in await command(slack, "reingest", name="reingest")
            report = await slack.api.wait_for("respond", to("reingest"), timeout=60)

    assert report.args["response_type"] == "in_channel"
    shown = report.text()
    assert f"<@{ADMIN}> re-ingested" in shown
    assert "1 added, 0 updated, 0 removed" in shown and "added: faq/parking.en.md" in shown


async def test_a_failed_reingest_says_why_and_keeps_the_index(settings, assistant, tmp_path):
    settings = dataclasses.replace(settings, knowledge_dir=tmp_path / "missing",
                                   index_dir=tmp_path / "index")
    with open_store(settings.db) as store:
        async with running_app(settings, assistant, store) as slack:
            await command(slack, "reingest", name="reingest")
            report = await slack.api.wait_for("respond", to("reingest"))

    assert "Re-ingest failed; the previous index keeps serving" in report.text()
    assert "knowledge folder not found" in report.text()
