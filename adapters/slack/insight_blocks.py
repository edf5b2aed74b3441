"""Block Kit for the insights: quality figures under a summary, the "Make persona" button,
a persona (as a thread reply or a modal), and the themes of the App Home tab.

As everywhere in this adapter, customer words go out as rich-text quotes (never parsed by
Slack) or escaped by :func:`adapters.slack.mrkdwn.escape`; wording comes from the YAML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.slack.blocks import MESSAGE_BLOCKS, MODAL_BLOCKS, Block, Message, context, section
from adapters.slack.home_themes import CachedThemes
from adapters.slack.mrkdwn import clip, escape, literal_quote
from adapters.slack.wording import SlackWording
from core.persona import Persona
from core.quality import InterviewQuality
from core.summary import Quote

PERSONA_ACTION = "earful_persona"


def quality_block(quality: InterviewQuality, wording: SlackWording) -> Block:
    """The interview's quality score and its parts (the same as ``InterviewQuality.lines()``)."""
    lines = [
        wording.quality_part.format(
            label=wording.quality_parts.get(part.name, part.label),
            detail=escape(part.detail),
            points=f"{part.points:.0f}",
            weight=part.weight,
        )
        for part in quality.parts
    ]
    return section(
        "\n".join([wording.quality_title.format(score=quality.score), *(f"• {line}" for line in lines)])
    )


def persona_button(interview_id: str, wording: SlackWording) -> Block:
    """An actions block with the "Make persona" button for ``interview_id``."""
    return {
        "type": "actions",
        "block_id": f"{PERSONA_ACTION}_block",
        "elements": [
            {
                "type": "button",
                "action_id": PERSONA_ACTION,
                "text": {"type": "plain_text", "text": wording.make_persona},
                "value": interview_id,
            }
        ],
    }


def _part(title: str, quotes: Sequence[Quote], wording: SlackWording) -> list[Block]:
    if not quotes:
        return [section(f"{title}\n{wording.persona_not_said}")]
    marks = [wording.spoken_mark if quote.spoken else None for quote in quotes]
    return [
        section(title),
        *(literal_quote(q.text, 1000, mark) for q, mark in zip(quotes, marks, strict=True)),
    ]


def persona_blocks(persona: Persona, wording: SlackWording) -> list[Block]:
    """One customer's persona: role, goals, frustrations, workaround, cost (their words, as
    quotes) and the words they use (escaped)."""
    words = ", ".join(persona.their_words)
    blocks = [
        section(wording.persona_heading.format(pseudonym=escape(persona.customer), answers=persona.answers)),
        *_part(wording.persona_role, persona.role, wording),
        *_part(wording.persona_goals, persona.goals, wording),
        *_part(wording.persona_frustrations, persona.frustrations, wording),
        *_part(wording.persona_workaround, [persona.workaround] if persona.workaround else [], wording),
        *_part(wording.persona_cost, [persona.cost] if persona.cost else [], wording),
        *_part(wording.persona_referrals, persona.referrals, wording),
        *_part(wording.persona_commitments, persona.commitments, wording),
        section(f"{wording.persona_words}\n{escape(words) if words else wording.persona_not_said}"),
    ]
    return blocks[:MESSAGE_BLOCKS]


def persona_message(persona: Persona, wording: SlackWording) -> Message:
    """The persona as a message (its fallback text escaped)."""
    heading = wording.persona_heading.format(pseudonym=escape(persona.customer), answers=persona.answers)
    return heading, persona_blocks(persona, wording)


def persona_view(persona: Persona, wording: SlackWording) -> dict[str, Any]:
    """The persona as a modal (pushed over the "Whole interview" modal)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": wording.persona_title},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": persona_blocks(persona, wording)[:MODAL_BLOCKS],
    }


def themes_blocks(
    cached: CachedThemes | None,
    interviews: int,
    needed: int,
    computing: bool,
    wording: SlackWording,
    shown: int = 5,
) -> list[Block]:
    """The home tab's themes: label, distinct customers and one quote per theme; or why there
    are none yet (too few interviews, or being computed)."""
    blocks: list[Block] = [{"type": "divider"}, section(wording.home_themes)]
    if interviews < needed:
        return [*blocks, section(wording.home_themes_waiting.format(needed=needed, have=interviews))]
    if cached is None:
        return [*blocks, context(wording.home_themes_computing)]
    themes = [theme for theme in cached.themes if theme.customers >= 2][:shown]
    if not themes:
        blocks.append(section(wording.home_themes_none))
    for rank, theme in enumerate(themes, start=1):
        line = wording.home_theme.format(
            rank=rank,
            label=escape(clip(theme.label, 200)),
            customers=theme.customers,
            stories=theme.stories,
            told=theme.occurrence_customers,
        )
        blocks.append(section(line))
        if theme.quotes:
            blocks.append(literal_quote(theme.quotes[0].text, 500))
    if computing:
        blocks.append(context(wording.home_themes_computing))
    return blocks
