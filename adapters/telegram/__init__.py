"""The Telegram channel: customers are interviewed through a bot (python-telegram-bot v22).

Small modules, one job each: ``config`` (settings as the adapter sees them), ``rendering``
(HTML escaping, 4096-character splitting, inline keyboards), ``translate`` (updates to core
events), ``ordering`` (one update at a time per chat), ``merging`` (split messages become one
answer), ``handlers`` (the callbacks PTB calls), ``channel`` (start, stop, webhook route), ``held``
(the channel's own port: held and linked message parts).

Nothing is imported here, so the port can be named without loading python-telegram-bot.
"""
