"""Settings named as their variables are: ``slack_bot_token`` is EARFUL_SLACK_BOT_TOKEN, the
``bot_token`` of the ``slack`` section."""

from __future__ import annotations

from typing import Any

from bot.settings import Settings

SECTIONS = ("slack", "telegram")


def settings_named(**values: Any) -> Settings:
    """:class:`Settings` from names as the environment spells them (without ``EARFUL_``)."""
    sections: dict[str, dict[str, Any]] = {}
    for name in list(values):
        section, _, key = name.partition("_")
        if section in SECTIONS and key:
            sections.setdefault(section, {})[key] = values.pop(name)
    return Settings(**values, **sections)
