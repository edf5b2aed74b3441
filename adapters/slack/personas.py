"""The "Make persona" button: one customer's persona, for the workspace that owns the interview.

The persona is drawn by :func:`core.persona.build_persona` from that one interview; the
interview is read through :func:`core.team_views.team_transcript`, so another workspace's
interview is refused exactly as its transcript would be.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.desk import SlackDesk
from adapters.slack.insight_blocks import persona_message, persona_view
from core.errors import AccessDenied, NotFound
from core.models import InterviewState
from core.persona import Persona, build_persona
from core.team_views import team_transcript


async def team_persona(desk: SlackDesk, team: str, interview_id: str) -> Persona:
    """The persona of one interview of ``team``; :class:`AccessDenied` across workspaces,
    :class:`NotFound` for an interview without answers."""
    state, answers = await team_transcript(desk.sessions, team, interview_id, reader=desk.reader)
    if state is None:  # imported stories have answers but no interview state
        first = answers[0]
        state = InterviewState(
            interview_id=interview_id,
            team=team,
            customer=first.customer,
            channel=first.channel,
            pseudonym=first.pseudonym,
            script_id="imported",
        )
    return build_persona(state, answers)


def _refusal(desk: SlackDesk, error: Exception) -> str:
    if isinstance(error, AccessDenied):
        return desk.wording.persona_denied
    if isinstance(error, NotFound):
        return desk.wording.persona_missing
    return desk.friendly(error)


async def persona_reply(
    desk: SlackDesk, client: AsyncWebClient, team: str, interview_id: str, body: dict[str, Any]
) -> None:
    """ "Make persona" pressed: the persona in the thread of the message it was pressed on, or
    pushed as a modal over the "Whole interview" modal. A refusal is shown where it was asked."""
    persona: Persona | None = None
    refusal = ""
    try:
        persona = await team_persona(desk, team, interview_id)
    except Exception as error:  # noqa: BLE001 - the edge: every error becomes words
        refusal = _refusal(desk, error)
    if body.get("view"):  # pressed in a modal: push the persona over it
        view = (
            persona_view(persona, desk.wording)
            if persona is not None
            else blocks.notice_view(desk.wording.persona_title, refusal)
        )
        await client.views_push(trigger_id=body["trigger_id"], view=view)
        return
    message = persona_message(persona, desk.wording) if persona is not None else blocks.text_message(refusal)
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    thread = container.get("thread_ts") or container.get("message_ts")
    await desk.poster.post(client, str(channel), message, thread_ts=thread)
