"""The bot's one error type: its message is a single line, safe to print as is."""

from __future__ import annotations


class BotError(Exception):
    pass
