"""The Slack channel, on slack-bolt's ``AsyncApp``: slash commands, mentions, DMs, App Home.

Modules: ``wording`` (texts from ``prompts/slack.<lang>.yaml``), ``mrkdwn`` (escaping),
``commands`` (parsing what people type), ``blocks`` (Block Kit), ``delivery`` (retries,
de-duplication, pacing), ``installations`` (OAuth installation store), ``desk`` (what the team
can do), ``completion`` (summaries of finished interviews), ``listeners`` (Bolt listeners),
``factory`` (builds the ``AsyncApp``) and ``channel`` (HTTP or Socket Mode, for ``earful run``).
"""
