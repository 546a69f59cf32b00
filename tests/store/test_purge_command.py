"""`python -m bot purge --older-than DAYS`, end to end in a subprocess."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from bot.store import open_store

REPO = Path(__file__).resolve().parents[2]


def purge(db: Path, *args: str) -> subprocess.CompletedProcess:
    # INNOCORE_DB set here wins over a developer's .env (dotenv never overrides the environment).
    env = {**os.environ, "INNOCORE_DB": str(db), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "bot", "purge", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


def test_purge_command_removes_old_records(tmp_path):
    db = tmp_path / "innocore.db"
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=45)
    with open_store(db, clock=lambda: long_ago) as store:
        question_id = store.record_question(channel="telegram", user_key="u", question="Visa?",
                                            lang="en", answered=False, declined=True,
                                            top_source=None)
        store.record_feedback(question_id, False)
        store.seen_event("slack:Ev01")
    with open_store(db) as store:
        store.record_question(channel="telegram", user_key="u", question="Salary?", lang="en",
                              answered=True, declined=False, top_source="faq.md")

    result = purge(db, "--older-than", "30")
    assert result.returncode == 0, result.stderr
    assert f"Removed records older than 30 days from {db}" in result.stdout
    for line in ["questions: 1", "feedback: 1", "tickets: 0", "seen_events: 1"]:
        assert line in result.stdout
    with open_store(db) as store:
        assert store.stats()["questions"] == 1


def test_purge_command_on_a_corrupt_database_exits_1(tmp_path):
    db = tmp_path / "innocore.db"
    db.write_bytes(b"this is not sqlite" * 100)
    result = purge(db, "--older-than", "30")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "purge failed:" in result.stderr
    assert f"{db} is not a SQLite database" in result.stderr
    assert "Traceback" not in result.stderr


def test_purge_command_on_a_missing_database_exits_1_without_creating_it(tmp_path):
    db = tmp_path / "typo.db"
    result = purge(db, "--older-than", "30")
    assert result.returncode == 1
    assert f"no database at {db}" in result.stderr
    assert not db.exists()


def test_purge_command_rejects_negative_days(tmp_path):
    db = tmp_path / "innocore.db"
    open_store(db).close()
    result = purge(db, "--older-than", "-5")
    assert result.returncode == 2
    assert "--older-than must be 0 or more" in result.stderr
