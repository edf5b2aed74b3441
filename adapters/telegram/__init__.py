"""The Telegram channel: customers are interviewed through a bot (python-telegram-bot v22).

Small modules, one job each: ``config`` (settings as the adapter sees them), ``rendering``
(HTML escaping, 4096-character splitting, inline keyboards), ``translate`` (updates to core
events), ``ordering`` (one update at a time per chat), ``merging`` (split messages become one
answer), ``handlers`` (the callbacks PTB calls), ``channel`` (start, stop, webhook route).
"""

from adapters.telegram.channel import TelegramChannel
from adapters.telegram.config import TelegramConfig, parse_team_users

__all__ = ["TelegramChannel", "TelegramConfig", "parse_team_users"]
