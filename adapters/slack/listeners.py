"""Bolt listeners: each acknowledges at once, then hands ids and text to the desk.

Bolt (with ``process_before_response=False``) sends the HTTP response as soon as ``ack()``
is called and runs the rest of the listener afterwards, so slow work (search, summaries,
posting) never delays the acknowledgement Slack needs within 3 seconds.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import CHOICE_ACTION, TRANSCRIPT_ACTION
from adapters.slack.commands import split_command
from adapters.slack.desk import SlackDesk
from adapters.slack.insight_blocks import PERSONA_ACTION
from adapters.slack.personas import persona_reply
from adapters.slack.voice import SlackVoice, audio_files, please_type
from core.voice import voice_choice

COMMAND = "/earful"


def register(app: AsyncApp, desk: SlackDesk, voice: SlackVoice | None = None) -> None:
    """Attach Earful's listeners to ``app`` (``voice``: how audio clips in DM interviews are
    heard; without it they get the DM's help)."""

    @app.command(COMMAND)
    async def earful(
        ack: AsyncAck,
        command: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        name, args = split_command(command.get("text", ""))
        text, blocks = await desk.command(
            client, str(context.team_id), command["channel_id"], name, args, command.get("user_id")
        )
        await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    @app.event("app_mention")
    async def mention(event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        thread = event.get("thread_ts") or event.get("ts")
        await desk.mention(
            client, str(context.team_id), event["channel"], thread, event.get("text", ""), event.get("user")
        )

    @app.event("message")
    async def direct_message(
        event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        # Only plain messages people type (or audio clips they share) in a DM with the bot; edits,
        # joins and bots are ignored.
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        clips = audio_files(event) if event.get("subtype") == "file_share" else []
        if clips:
            if voice is None:
                await please_type(desk, client, str(context.team_id), event["user"], event["channel"])
            else:
                await voice.hear(client, str(context.team_id), event["user"], event["channel"], clips)
            return
        if event.get("subtype"):
            return
        if voice is not None:
            await voice.supersede(event["user"])
        await desk.direct_message(
            client, str(context.team_id), event["user"], event["channel"], event.get("text", "")
        )

    @app.action(re.compile(f"^{CHOICE_ACTION}_"))
    async def choice(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        user, dm = body["user"]["id"], body["channel"]["id"]
        voiced = voice_choice(action.get("value", ""))
        if voiced is not None:
            if voice is not None:
                await voice.choose(client, str(context.team_id), user, dm, *voiced)
            return
        await desk.choice(client, str(context.team_id), user, dm, action.get("value", ""))

    @app.action(TRANSCRIPT_ACTION)
    async def transcript(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        view = await desk.transcript_view(str(context.team_id), action.get("value", ""))
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(PERSONA_ACTION)
    async def persona(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        await persona_reply(desk, client, str(context.team_id), action.get("value", ""), body)

    @app.event("app_home_opened")
    async def home(event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        await desk.publish_home(client, str(context.team_id), event["user"])
