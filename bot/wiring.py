"""The one place that chooses implementations: settings in, a ready application out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import cast

from bot.settings import Settings
from core.catalog import Catalog
from core.crosslingual import CrossLingualSearch, Multilingual, MultilingualStories
from core.invites import Invites, InviteStore
from core.ports import Embedder, SessionStore, StoryStore
from core.probing import FollowUpPolicy, RuleBasedFollowUp
from core.service import InterviewService
from core.stories import StoryIndexer, StorySearch
from prompts import default_catalog


@dataclass
class App:
    """A built Earful: the service every channel talks to, and its parts."""

    settings: Settings
    catalog: Catalog
    sessions: SessionStore
    stories: StoryStore
    embedder: Embedder
    service: InterviewService
    search: StorySearch | CrossLingualSearch
    indexer: StoryIndexer
    invites: Invites


async def open_sessions(settings: Settings) -> SessionStore:
    """The system of record chosen by the settings."""
    from adapters.sql_sessions import SqliteSessionStore

    return await SqliteSessionStore.open(settings.sqlite_path)


def open_stories(settings: Settings) -> StoryStore:
    """The story index chosen by the settings (embedded Chroma, or a Chroma server)."""
    from adapters.chroma_store import ChromaStoryStore, open_http_client, open_persistent_client

    if settings.chroma_url:
        return ChromaStoryStore(open_http_client(settings.chroma_url))
    return ChromaStoryStore(open_persistent_client(settings.chroma_path))


def default_embedder(settings: Settings) -> Embedder:
    """The packaged offline model; it loads lazily, on the first text it embeds."""
    from adapters.embeddings import MiniLMEmbedder

    return MiniLMEmbedder(threads=settings.embedding_threads)


def default_multilingual(settings: Settings, stories: StoryStore) -> Multilingual | None:
    """The multilingual model, its own index beside ``stories`` and the language detector, or
    ``None`` when switched off (EARFUL_MULTILINGUAL=false) or ``stories`` is not Chroma's."""
    from adapters.chroma_store import ChromaStoryStore

    if not settings.multilingual or not isinstance(stories, ChromaStoryStore):
        return None
    from adapters.langid_detector import LangidDetector
    from adapters.multilingual import E5Embedder

    return Multilingual(
        E5Embedder(threads=settings.embedding_threads), stories.sibling("earfulml_"), LangidDetector()
    )


@asynccontextmanager
async def build_app(
    settings: Settings,
    *,
    catalog: Catalog | None = None,
    sessions: SessionStore | None = None,
    stories: StoryStore | None = None,
    embedder: Embedder | None = None,
    policy: FollowUpPolicy | None = None,
    multilingual: Multilingual | None = None,
) -> AsyncIterator[App]:
    """Build the application; any part may be handed in (tests pass in-memory fakes)."""
    catalog = catalog or default_catalog()
    sessions = sessions or await open_sessions(settings)
    try:
        stories = stories or open_stories(settings)
        embedder = embedder or default_embedder(settings)
        search: StorySearch | CrossLingualSearch = StorySearch(embedder, stories)
        multilingual = multilingual or default_multilingual(settings, stories)
        if multilingual is not None:
            primary = stories
            stories = MultilingualStories(primary, multilingual)
            search = CrossLingualSearch(search, embedder, primary, multilingual)
        indexer = StoryIndexer(sessions, embedder, stories, batch_size=settings.index_batch_size)
        # The session store's database keeps invites too (both SQL stores implement it).
        invites = Invites(cast(InviteStore, sessions))
        service = InterviewService(
            sessions,
            catalog,
            policy or RuleBasedFollowUp(catalog.messages_for),
            stories=stories,
            invites=invites,
            on_answer=indexer.notify,
        )
        yield App(
            settings=settings,
            catalog=catalog,
            sessions=sessions,
            stories=stories,
            embedder=embedder,
            service=service,
            search=search,
            indexer=indexer,
            invites=invites,
        )
    finally:
        await sessions.close()
