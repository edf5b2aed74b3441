"""Insights on a built :class:`bot.wiring.App`: the functions the CLI, Slack and reports call.

- :func:`interview_summary` — the summary of one interview (LLM-written when one is
  configured and its quotes check out, else extractive), with quality figures;
- :func:`build_persona` — the persona of the one customer of an interview;
- :func:`find_themes` — themes of a team's stories, ranked by distinct customers.

Every insight is built from the answers' readings; an answer stored without one (an interview
from before answers were read, an import) is read here by the app's answer reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.wiring import App, answer_reader
from core.errors import NotFound
from core.evidence import with_readings
from core.models import AnswerRecord, InterviewState
from core.persona import Persona
from core.persona import build_persona as persona_from
from core.summary import InterviewSummary, summarize
from core.themes import Clusterer, Theme, WordWeights, problem_stories
from core.themes import find_themes as themes_from

_EMBED_BATCH = 256


async def _interview(app: App, interview_id: str) -> tuple[InterviewState, list[AnswerRecord]]:
    state = await app.sessions.get(interview_id)
    if state is None:
        raise NotFound(f"no interview '{interview_id}'")
    answers = await app.sessions.answers(interview_id=interview_id)
    return state, await with_readings(answers, answer_reader(app))


async def interview_summary(app: App, interview_id: str, limit: int = 3) -> InterviewSummary:
    """The summary of one interview; an LLM summariser from ``app`` is used when present."""
    state, answers = await _interview(app, interview_id)
    if app.summariser is not None:
        return await app.summariser.summarize(state, answers, limit)
    return summarize(state, answers, limit)


async def build_persona(app: App, interview_id: str) -> Persona:
    """The persona of the customer of ``interview_id``, from that interview only.

    Raises :class:`core.errors.NotFound` for an unknown interview or one without answers.
    """
    state, answers = await _interview(app, interview_id)
    return persona_from(state, answers)


def default_clusterer() -> Clusterer:
    """The clusterer themes use (shared-nearest-neighbour graph + Leiden)."""
    from adapters.clustering import GraphClusterer

    return GraphClusterer()


def default_word_weights() -> WordWeights:
    """How a theme's words are weighed for its label (class-based TF-IDF, scikit-learn's counts)."""
    from adapters.theme_words import ClassTfidf

    return ClassTfidf()


async def embed_all(app: App, texts: Sequence[str]) -> list[list[float]]:
    """Vectors for ``texts`` in batches (the embedder keeps the event loop free)."""
    vectors: list[list[float]] = []
    for start in range(0, len(texts), _EMBED_BATCH):
        vectors.extend(await app.embedder.embed(texts[start : start + _EMBED_BATCH]))
    return vectors


async def find_themes(
    app: App,
    team: str,
    *,
    section: str | None = None,
    since: datetime | None = None,
    min_customers: int = 1,
    clusterer: Clusterer | None = None,
) -> list[Theme]:
    """Themes among ``team``'s stories (optionally one section kind, on or after ``since``),
    made of their ``problem`` sentences, ranked by distinct customers. Stories are read from
    the system of record, so the result does not depend on the state of the search index."""
    answers = [
        a
        for a in await app.sessions.answers(team=team)
        if a.text.strip()
        and (section is None or a.section == section)
        and (since is None or a.created_at >= since)
    ]
    answers = problem_stories(await with_readings(answers, answer_reader(app)))
    vectors = await embed_all(app, [a.text for a in answers])
    chosen = clusterer or default_clusterer()
    return themes_from(answers, vectors, chosen, default_word_weights(), min_customers=min_customers)
