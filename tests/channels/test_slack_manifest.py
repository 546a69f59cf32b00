"""slack-app-manifest.yaml agrees with the app: its command, the events it listens to, and a
scope for each of them."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.channels.slack import commands

MANIFEST = Path(__file__).resolve().parents[2] / "slack-app-manifest.yaml"

SCOPE_FOR_EVENT = {"app_mention": "app_mentions:read", "message.im": "im:history",
                   "message.channels": "channels:history", "message.groups": "groups:history"}


def test_the_manifest_declares_the_command_events_and_scopes_the_app_uses():
    manifest = yaml.safe_load(MANIFEST.read_text())
    features, settings = manifest["features"], manifest["settings"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])

    assert [c["command"] for c in features["slash_commands"]] == [commands.COMMAND]
    events = settings["event_subscriptions"]["bot_events"]
    assert set(events) == set(SCOPE_FOR_EVENT)
    assert {SCOPE_FOR_EVENT[e] for e in events} | {"chat:write", "commands"} == scopes
    assert settings["interactivity"]["is_enabled"]       # the Resolved button
    assert settings["socket_mode_enabled"]               # the default `python -m bot slack`
    assert features["app_home"]["messages_tab_enabled"]  # direct messages
