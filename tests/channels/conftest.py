"""Fixtures the Telegram relay tests share: a fake Bot API and settings pointing at it."""

from __future__ import annotations

import dataclasses

import pytest

from tests.fakes.telegram_api import FakeTelegram


@pytest.fixture
def fake():
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def relay_settings(settings, fake):
    return dataclasses.replace(settings, telegram_token=fake.token, telegram_api_url=fake.api_url)
