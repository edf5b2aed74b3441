"""Block Kit rendering: everything Earful posts, as (fallback text, blocks) or a view.

Customer words only ever appear through :func:`literal_quote` (never parsed by Slack) or
:func:`escape` (in fallback texts); our own texts are escaped too, since scripts are data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.slack.commands import StoryQuery
from adapters.slack.mrkdwn import clip, escape, literal_quote
from adapters.slack.wording import SlackWording
from core.models import AnswerRecord, InterviewState, Reply, StoryHit
from core.summary import InterviewSummary, Quote
from core.team_views import TeamOverview

Block = dict[str, Any]
Message = tuple[str, list[Block]]

CHOICE_ACTION = "earful_choice"
TRANSCRIPT_ACTION = "earful_transcript"
MODAL_BLOCKS = 100  # Slack's limit for a modal or the Home tab
MESSAGE_BLOCKS = 50  # Slack's limit for one message
TEXT_LIMIT = 3000  # Slack's limit for a section's text
QUOTE_LIMIT = 2900  # what literal_quote keeps of one answer
MESSAGE_CHARS = 12_000  # our budget for one message's text, far below Slack's 40,000-character cap


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, TEXT_LIMIT)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, TEXT_LIMIT)}]}


def _day(state_or_answer: InterviewState | AnswerRecord) -> str:
    when = getattr(state_or_answer, "created_at", None) or getattr(state_or_answer, "updated_at", None)
    return when.date().isoformat() if when else "?"


def reply_message(reply: Reply) -> Message:
    """An interview reply in a DM; its choices (consent yes/no...) become buttons."""
    blocks = [section(escape(reply.text))]
    if reply.choices:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{CHOICE_ACTION}_{reply.kind.value}",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"{CHOICE_ACTION}_{index}",
                        "text": {"type": "plain_text", "text": clip(choice.label, 75)},
                        "value": choice.value,
                    }
                    for index, choice in enumerate(reply.choices)
                ],
            }
        )
    return escape(reply.text), blocks


def stories_message(query: StoryQuery, hits: Sequence[StoryHit], wording: SlackWording) -> Message:
    """Search results: per story a quote, who/when/which question/score, and a button."""
    quoted = escape(clip(query.text, 200))
    if not hits:
        text = wording.stories_empty.format(query=quoted, filters=query.describe())
        return text, [section(text)]
    header = wording.stories_header.format(query=quoted, filters=query.describe())
    blocks: list[Block] = [section(header)]
    for hit in hits:
        story = hit.story
        about = wording.story_context.format(
            pseudonym=escape(story.customer),
            date=story.created_at.date().isoformat(),
            language=escape(story.language),
            question=escape(clip(story.question, 300)),
            score=f"{escape(wording.score(hit.match))} ({hit.score:.2f})",
            evidence=f" · {escape(kind)}" if (kind := wording.evidence_kinds.get(story.act or "")) else "",
        )
        blocks += [
            literal_quote(story.text),
            context(about),
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": TRANSCRIPT_ACTION,
                        "text": {"type": "plain_text", "text": wording.whole_interview},
                        "value": story.interview_id,
                    }
                ],
            },
        ]
    return header, blocks[:MESSAGE_BLOCKS]


def _answer_blocks(answers: Sequence[AnswerRecord], wording: SlackWording) -> list[Block]:
    blocks: list[Block] = []
    for answer in answers:
        note = wording.spoken_mark if answer.spoken else None
        blocks += [section(f"*{escape(clip(answer.question, 2900))}*"), literal_quote(answer.text, note=note)]
    return blocks


def transcript_view(
    pseudonym: str,
    answers: Sequence[AnswerRecord],
    wording: SlackWording,
    when: str,
    actions: Block | None = None,
) -> dict[str, Any]:
    """A modal with a whole interview, question by question (cut at Slack's block limit),
    with ``actions`` (e.g. a "Make persona" button) under its heading."""
    heading = wording.transcript_heading.format(pseudonym=escape(pseudonym), date=when, answers=len(answers))
    top = [section(heading), *([actions] if actions else [])]
    fits = (MODAL_BLOCKS - len(top) - 1) // 2
    blocks = [*top, *_answer_blocks(answers[:fits], wording)]
    if len(answers) > fits:
        blocks.append(context(wording.transcript_truncated.format(shown=fits)))
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": wording.transcript_title},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": blocks,
    }


def transcript_messages(
    pseudonym: str, answers: Sequence[AnswerRecord], wording: SlackWording
) -> list[Message]:
    """A whole transcript as thread replies: as many messages as Slack's limits need (50 blocks,
    and a size budget well under the point where Slack answers ``msg_too_long``)."""
    intro = wording.summary_thread_intro.format(pseudonym=escape(pseudonym))
    messages: list[Message] = []
    current: list[Block] = [section(intro)]
    size = 0
    for answer in answers:
        pair = _answer_blocks([answer], wording)
        pair_size = len(answer.question) + min(len(answer.text), QUOTE_LIMIT)
        if len(current) + len(pair) > MESSAGE_BLOCKS or (size + pair_size > MESSAGE_CHARS and size):
            messages.append((intro, current))
            current, size = [], 0
        current += pair
        size += pair_size
    messages.append((intro, current))
    return messages


def _quotes(title: str, quotes: Sequence[Quote], nothing: str, spoken: str = "") -> list[Block]:
    if not quotes:
        return [section(f"{title}\n{nothing}")]
    return [section(title), *(literal_quote(q.text, 1000, spoken if q.spoken else None) for q in quotes)]


def summary_message(summary: InterviewSummary, wording: SlackWording) -> Message:
    """The channel message for a finished interview: who, frustrations, workarounds, costs."""
    header = wording.summary_header.format(pseudonym=escape(summary.customer), answers=summary.answers)
    spoken = wording.spoken_mark
    blocks = [
        section(header),
        *_quotes(wording.summary_frustrations, summary.frustrations, wording.summary_nothing, spoken),
        *_quotes(wording.summary_workarounds, summary.workarounds, wording.summary_nothing, spoken),
        *_quotes(wording.summary_costs, summary.costs, wording.summary_nothing, spoken),
        *(_quotes(wording.summary_referrals, summary.referrals, "", spoken) if summary.referrals else []),
        *(
            _quotes(wording.summary_commitments, summary.commitments, "", spoken)
            if summary.commitments
            else []
        ),
        *(
            _quotes(wording.summary_correction, (summary.correction,), "", spoken)
            if summary.correction is not None
            else []
        ),
    ]
    return f"{header} {escape(clip(summary.gist, 200))}", blocks


def home_view(overview: TeamOverview, wording: SlackWording, themes: Sequence[Block] = ()) -> dict[str, Any]:
    """The App Home tab: counts, latest interviews, frequent frustration words and ``themes``."""
    blocks = [
        section(wording.home_title),
        section(
            wording.home_counts.format(open=overview.open, finished=overview.finished, paused=overview.paused)
        ),
        {"type": "divider"},
        section(wording.home_latest),
    ]
    if overview.latest:
        scores = overview.latest_scores or (None,) * len(overview.latest)
        lines = [
            wording.home_interview.format(
                pseudonym=escape(state.pseudonym),
                status=wording.status_words.get(state.status.value, state.status.value),
                date=_day(state),
            )
            + (wording.home_interview_score.format(score=score) if score is not None else "")
            for state, score in zip(overview.latest, scores, strict=True)
        ]
        blocks.append(section("\n".join(f"• {line}" for line in lines)))
    else:
        blocks.append(section(wording.home_no_interviews))
    blocks.append(section(wording.home_words))
    if overview.frustration_words:
        words = "   ".join(f"{escape(word)} ({count})" for word, count in overview.frustration_words)
        blocks.append(section(words))
    else:
        blocks.append(section(wording.home_no_words))
    blocks += themes
    return {"type": "home", "blocks": blocks[:MODAL_BLOCKS]}


def notice_view(title: str, text: str) -> dict[str, Any]:
    """A modal with one text (e.g. why something cannot be shown)."""
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": [section(text)]}


def text_message(text: str) -> Message:
    """A message of our own mrkdwn text (already escaped where it embeds user input)."""
    return text, [section(text)]
