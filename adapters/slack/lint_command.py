"""``/earful lint``: a script shared as a Slack file (or pasted as a snippet) checked by the same
lint as a script loaded from disk, the findings answered as an ephemeral message."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import MESSAGE_BLOCKS, Message, section, text_message
from adapters.slack.commands import parse_lint_request
from adapters.slack.files import FileUnreadable, private_file
from adapters.slack.mrkdwn import clip, escape
from adapters.slack.wording import SlackWording
from core.errors import ScriptError
from prompts import lint_findings, parse_script_text

log = logging.getLogger(__name__)
MAX_SCRIPT_BYTES = 256 * 1024  # far more than any interview script
SNIPPET_NAME = "snippet"


async def download_file(client: AsyncWebClient, file_id: str) -> tuple[str, str]:
    """``(name, text)`` of a file shared in Slack, fetched with the bot's token."""
    file, body = await private_file(client, file_id, MAX_SCRIPT_BYTES, too_big="too big for a script")
    try:
        return str(file.get("name") or file_id), body.decode("utf-8")
    except UnicodeDecodeError:
        raise FileUnreadable("not UTF-8 text") from None


def lint_message(name: str, text: str, wording: SlackWording) -> Message:
    """The findings of the script ``text`` (named ``name``), in the team's words."""
    words = wording.lint
    try:
        script = parse_script_text(text, name)
    except ScriptError as error:
        problems = "; ".join(error.problems)
        return text_message(words.broken.format(file=escape(name), problems=escape(problems)))
    findings = lint_findings(script)
    if not findings:
        return text_message(words.ok.format(file=escape(name), questions=len(script.questions())))
    header = words.header.format(file=escape(name), count=len(findings))
    shown = [
        words.finding.format(
            question=escape(finding.question_id),
            form="" if finding.field == "text" else f" ({finding.field})",
            kind=finding.kind.value,
            why=escape(finding.why),
            sentence=escape(clip(finding.sentence, 500)),
            rewrite=escape(finding.rewrite),
        )
        for finding in findings
    ]
    room = MESSAGE_BLOCKS - 2
    blocks = [section(header), *(section(item) for item in shown[:room])]
    if len(shown) > room:
        blocks.append(section(words.more.format(count=len(shown) - room)))
    return "\n".join([header, *shown]), blocks


async def lint_command(client: AsyncWebClient, args: str, wording: SlackWording) -> Message:
    """The reply to ``/earful lint <file link or pasted YAML>``."""
    request = parse_lint_request(args)
    if request is None:
        return text_message(wording.lint.usage)
    if request.file_id is None:
        return lint_message(SNIPPET_NAME, request.text or "", wording)
    try:
        name, text = await download_file(client, request.file_id)
    except FileUnreadable as error:
        log.info("lint: cannot read Slack file %s: %s", request.file_id, error)
        return text_message(wording.lint.unreadable.format(reason=escape(str(error))))
    return lint_message(name, text, wording)
