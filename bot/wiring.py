"""The one place that chooses implementations: settings in, a ready application out."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from adapters.multilingual_index import BothIndexes, MultilingualStories
from adapters.telegram.held import HeldParts
from bot.secrets import pseudonymizer
from bot.settings import Settings
from core.catalog import Catalog
from core.crosslingual import CrossLingualSearch
from core.errors import MissingExtra, StoreUnavailable
from core.invites import Invites, InviteStore
from core.languages import LanguageDetector
from core.ports import Embedder, SessionStore, StoryStore
from core.probing import FollowUpPolicy, RuleBasedFollowUp
from core.pseudonyms import Pseudonymizer
from core.questions import QuestionClassifier
from core.ranking import CosineRanker, Ranker
from core.reading import AnswerReader
from core.service import InterviewService
from core.stories import StoryFinder, StoryIndexer, StorySearch
from core.summary import Summariser
from core.voice import Transcriber, VoiceNotes
from prompts import default_catalog

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

    from adapters.audio_files import AudioFiles
    from adapters.chroma_store import ChromaStoryStore
    from adapters.whisper import WhisperTranscriber


class Record(SessionStore, InviteStore, HeldParts, Protocol):
    """The system of record as the application uses it: one database keeps the interviews and
    answers, the invites, the delivery keys and the channels' held message parts (the SQL
    store, on SQLite or PostgreSQL, and the in-memory one of the tests implement all of it)."""


@dataclass
class App:
    """A built Earful: the service every channel talks to, and its parts."""

    settings: Settings
    catalog: Catalog
    sessions: Record
    stories: StoryStore
    embedder: Embedder
    service: InterviewService
    search: StoryFinder
    indexer: StoryIndexer
    invites: Invites
    summariser: Summariser | None = None  # the LLM's, when EARFUL_LLM is set
    reader: AnswerReader | None = None  # None: the default reader, made when first needed
    multilingual: MultilingualStories | None = None  # the second index, when it is on
    voice: VoiceNotes | None = None  # voice answers; None without the 'voice' extra


def answer_reader(app: App) -> AnswerReader:
    """The app's answer reader (:func:`default_answer_reader`, made on first use, when none was
    given)."""
    if app.reader is None:
        app.reader = default_answer_reader(app.settings)
    return app.reader


async def open_sessions(settings: Settings) -> Record:
    """The system of record chosen by the settings: PostgreSQL at EARFUL_DATABASE_URL (several
    workers share it), else the SQLite file in the data directory. Either is migrated on open."""
    from adapters.sql.database import PostgresDatabase, SqliteDatabase
    from adapters.sql.sessions import SqlSessionStore

    if settings.database_url:
        try:
            database = PostgresDatabase(settings.database_url)
        except ImportError:
            raise MissingExtra("EARFUL_DATABASE_URL (PostgreSQL)", "postgres") from None
        return await SqlSessionStore.open(database)
    try:
        return await SqlSessionStore.open(SqliteDatabase(settings.sqlite_path))
    except (OSError, StoreUnavailable) as error:  # e.g. a data directory that cannot be written
        raise StoreUnavailable(cannot_open("the session store", settings.sqlite_path, error)) from None


def cannot_open(what: str, path: Path, error: BaseException) -> str:
    """What to say when an embedded store under EARFUL_DATA_DIR cannot be opened."""
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return f"cannot open {what} at {path}: {reason}; set EARFUL_DATA_DIR to a writable directory"


def open_stories(settings: Settings) -> ChromaStoryStore:
    """The story index chosen by the settings (embedded Chroma, or a Chroma server)."""
    from adapters.chroma_store import ChromaStoryStore, open_http_client, open_persistent_client

    if settings.chroma_url:
        url = settings.chroma_url
        return ChromaStoryStore(opener=lambda: open_http_client(url))
    path = settings.chroma_path

    def open_embedded() -> ClientAPI:
        try:
            return open_persistent_client(path)
        except OSError as error:
            raise StoreUnavailable(cannot_open("the story index", path, error)) from None

    return ChromaStoryStore(opener=open_embedded, sqlite_file=path / "chroma.sqlite3")


def default_embedder(settings: Settings) -> Embedder:
    """The packaged offline model; it loads lazily, on the first text it embeds."""
    from adapters.embeddings import MiniLMEmbedder

    return MiniLMEmbedder(threads=settings.embedding_threads)


def default_ranker(settings: Settings) -> Ranker:
    """How story search orders candidates: query expansion (numpy) unless set to plain cosine."""
    if settings.search_ranker == "cosine":
        return CosineRanker()
    from adapters.ranking import NumpyExpansionRanker

    return NumpyExpansionRanker()


# The multilingual index's collections: "earfulml2_<team>" since its vectors have their language's
# mean taken out; an older "earfulml_" index is not read (`earful reindex` builds the new one).
MULTILINGUAL_PREFIX = "earfulml2_"


def default_detector(settings: Settings) -> LanguageDetector | None:
    """py3langid (it loads on the first story it reads), or ``None`` when switched off."""
    if not settings.detect_language:
        return None
    from adapters.langid_detector import LangidDetector

    return LangidDetector()


def default_multilingual(
    settings: Settings,
    stories: ChromaStoryStore,
    record: SessionStore,
    detector: LanguageDetector | None = None,
) -> MultilingualStories | None:
    """The multilingual index beside Chroma's ``stories`` (its model, its own collections on the
    same client, the language detector), or ``None`` when switched off (EARFUL_MULTILINGUAL=false).
    With ``auto``, a team enters it when it first needs it, its stories copied from ``record``."""
    if settings.multilingual == "off":
        return None
    from adapters.langid_detector import LangidDetector
    from adapters.multilingual import E5Embedder

    return MultilingualStories(
        stories,
        E5Embedder(threads=settings.embedding_threads),
        stories.sibling(MULTILINGUAL_PREFIX),
        detector or LangidDetector(),
        backfill_from=record if settings.multilingual == "auto" else None,
    )


def question_classifier(settings: Settings) -> QuestionClassifier:
    """The offline question classifier (the trained model with the rules it is sure of), or the
    LLM's (falling back to it) when ``EARFUL_LLM`` is set."""
    from adapters.question_model import TrainedQuestionClassifier

    if not settings.llm:
        return TrainedQuestionClassifier()
    try:
        from adapters.llm import open_chat_model
        from adapters.question_llm import LlmQuestionClassifier
    except ImportError:
        raise MissingExtra("EARFUL_LLM", "llm") from None
    return LlmQuestionClassifier(open_chat_model(settings.llm), TrainedQuestionClassifier())


def llm_parts(settings: Settings, fallback: FollowUpPolicy) -> tuple[FollowUpPolicy, Summariser | None]:
    """The LLM follow-up policy and summariser when ``EARFUL_LLM`` is set, else ``fallback``."""
    if not settings.llm:
        return fallback, None
    try:
        from adapters.llm import LlmFollowUp, LlmSummariser, open_chat_model
        from adapters.question_llm import LlmQuestionClassifier
        from adapters.question_model import TrainedQuestionClassifier
    except ImportError:
        raise MissingExtra("EARFUL_LLM", "llm") from None
    model = open_chat_model(settings.llm)
    # Its probes are read by the same classifier as every question: the LLM's, else the offline one.
    questions = LlmQuestionClassifier(model, TrainedQuestionClassifier())
    return LlmFollowUp(model, fallback, questions), LlmSummariser(model)


def default_answer_reader(settings: Settings, *, warm: bool = False) -> AnswerReader:
    """The offline answer reader, behind the LLM reader when ``EARFUL_LLM`` is set.

    ``warm`` loads the classifier and the language detector now (the eval times readings)."""
    from adapters.answer_reader import OfflineAnswerReader

    offline = OfflineAnswerReader()
    if warm:
        offline.load_now()
    if not settings.llm:
        return offline
    try:
        from adapters.llm import open_chat_model
        from adapters.llm_reader import LlmAnswerReader
    except ImportError:
        raise MissingExtra("EARFUL_LLM", "llm") from None
    return LlmAnswerReader(open_chat_model(settings.llm), offline)


VOICE_OFF = (
    "voice notes are off (customers who send one are asked to type): the 'voice' extra is not"
    " installed; pip install 'earful[voice]' (or deploy/install.sh --extras voice) turns them on"
)


def default_transcriber(settings: Settings) -> WhisperTranscriber | None:
    """Whisper base through faster-whisper (loaded on the first voice note), or ``None`` when the
    'voice' extra is not installed."""
    from adapters.whisper_model import missing_packages

    if missing_packages():
        return None
    from adapters.whisper import WhisperTranscriber

    return WhisperTranscriber(settings.voice_model_path, threads=min(4, os.cpu_count() or 2))


def audio_archive(settings: Settings) -> AudioFiles:
    """Where kept recordings are (erasure looks there even when they are no longer kept)."""
    from adapters.audio_files import AudioFiles

    return AudioFiles(settings.audio_path)


@asynccontextmanager
async def build_app(
    settings: Settings,
    *,
    catalog: Catalog | None = None,
    sessions: Record | None = None,
    stories: StoryStore | None = None,
    embedder: Embedder | None = None,
    policy: FollowUpPolicy | None = None,
    reader: AnswerReader | None = None,
    ranker: Ranker | None = None,
    multilingual: MultilingualStories | None = None,
    transcriber: Transcriber | None = None,
    pseudonyms: Pseudonymizer | None = None,
) -> AsyncIterator[App]:
    """Build the application; any part may be handed in (tests pass in-memory fakes). The
    multilingual index is built beside the Chroma index opened here (a ``stories`` handed in
    gets one only with ``multilingual``). Without a ``transcriber``, the 'voice' extra's is used
    when installed. Without ``pseudonyms``, the installation's secret names customers."""
    catalog = catalog or default_catalog()
    # Every answer is read before the engine decides (offline, or the LLM's when set); the indexer
    # and the insights read the answers stored without a reading with the same reader.
    reader = reader or default_answer_reader(settings)
    sessions = sessions or await open_sessions(settings)
    whisper = None if transcriber is not None else default_transcriber(settings)
    try:
        detector = default_detector(settings)
        if stories is None:
            chroma = open_stories(settings)
            stories = chroma
            multilingual = multilingual or default_multilingual(settings, chroma, sessions, detector)
        embedder = embedder or default_embedder(settings)
        english = StorySearch(embedder, stories, ranker=ranker or default_ranker(settings))
        search: StoryFinder = english
        if multilingual is not None:
            primary = stories
            search = CrossLingualSearch(english, embedder, primary, multilingual, multilingual.detector)
            stories = BothIndexes(primary, multilingual)
        indexer = StoryIndexer(
            sessions,
            embedder,
            stories,
            batch_size=settings.index_batch_size,
            detector=detector,
            reader=reader,
        )
        invites = Invites(sessions)
        chosen_policy, summariser = llm_parts(settings, policy or RuleBasedFollowUp(catalog.messages_for))
        service = InterviewService(
            sessions,
            catalog,
            chosen_policy,
            pseudonyms=pseudonyms or pseudonymizer(settings),
            reader=reader,
            stories=stories,
            invites=invites,
            on_answer=indexer.notify,
            audio=audio_archive(settings),
        )
        listening = transcriber or whisper
        voice = None
        if listening is not None:
            kept = audio_archive(settings) if settings.keep_audio else None
            voice = VoiceNotes(
                service, listening, sessions, max_seconds=settings.voice_max_seconds, archive=kept
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
            summariser=summariser,
            reader=reader,
            multilingual=multilingual,
            voice=voice,
        )
    finally:
        if whisper is not None:
            whisper.close()
        if multilingual is not None:
            multilingual.stop()  # a copy cut short is finished by the next start
        await sessions.close()
