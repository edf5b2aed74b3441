"""Language detection: the pure fallback rules, and the real detector on short answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import HashingEmbedder, MemorySessionStore, MemoryStoryStore
from records import telegram_answer

from adapters.langid_detector import LangidDetector
from bot.settings import Settings
from bot.wiring import default_detector
from core.errors import InputError
from core.languages import detect_language, language_filter, normalise_language, split_language_filter
from core.stories import StoryIndexer, StorySearch


class Broken:
    def detect(self, text: str) -> tuple[str, float]:
        raise RuntimeError("model file unreadable")


class Unsure:
    def detect(self, text: str) -> tuple[str, float]:
        return "de", 0.05


class Sure:
    def __init__(self, code: str) -> None:
        self.code = code

    def detect(self, text: str) -> tuple[str, float]:
        return self.code, 0.99


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ar-PS", "ar"), ("EN_us", "en"), ("ary", "ar"), ("pt-BR", "pt"), ("", "und"), (None, "und")],
)
def test_codes_are_normalised_to_the_language_a_reader_searches_for(code: str | None, expected: str) -> None:
    assert normalise_language(code) == expected


def test_a_failing_detector_never_fails_the_turn_the_hint_is_used() -> None:
    assert detect_language(Broken(), "Meine Karte ist nie angekommen", "ru") == "ru"


def test_the_hint_decides_when_the_detector_is_unsure_or_the_text_too_short() -> None:
    assert detect_language(Unsure(), "whatever this says", "en-GB") == "en"
    assert detect_language(Sure("de"), "👍 ok", "es") == "es"
    assert detect_language(None, "My card never arrived", "fr") == "fr"


def test_a_confident_detector_overrides_the_hint() -> None:
    assert detect_language(Sure("arz"), "بطاقتي لم تصل بعد", "en") == "ar"


@pytest.fixture(scope="module")
def detector() -> LangidDetector:
    found = LangidDetector()
    found.warm_up()
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My card still hasn't arrived and I ordered it two weeks ago", "en"),
        ("I was charged twice for the same coffee", "en"),
        ("لم تصل بطاقتي بعد رغم أنني طلبتها منذ أسبوعين", "ar"),
        ("واش كاين شي شروط باش ناخد لكرطات زايدين؟", "ar"),  # Moroccan Arabic
        ("Ma carte n'est toujours pas arrivée, je l'ai commandée il y a deux semaines", "fr"),
        ("Mi tarjeta todavía no ha llegado y la pedí hace dos semanas", "es"),
        ("Моя карта так и не пришла, хотя я заказал её две недели назад", "ru"),
        ("Meine Karte ist immer noch nicht angekommen", "de"),
    ],
)
def test_the_real_detector_names_the_language_of_short_answers(
    detector: LangidDetector, text: str, expected: str
) -> None:
    assert detect_language(detector, text, "und") == expected


def test_the_real_detector_leaves_tiny_answers_to_the_hint(detector: LangidDetector) -> None:
    assert detect_language(detector, "ok", "ar") == "ar"
    assert detect_language(detector, "👍👍", "es") == "es"
    assert detect_language(detector, "thanks", "tr") == "tr"  # too little to override the channel


def test_a_lang_filter_typed_into_a_search_is_taken_out_of_the_question() -> None:
    assert split_language_filter("card stolen lang:ar") == ("card stolen", "ar")
    assert split_language_filter("lang:pt-BR my card never came") == ("my card never came", "pt")
    assert split_language_filter("what about slang:xx words") == ("what about slang:xx words", None)
    assert split_language_filter("no filter here") == ("no filter here", None)


def test_a_language_asked_for_by_name_is_refused_not_matched_against_nothing() -> None:
    assert [language_filter(code) for code in ("AR", "ar-EG", "ary", " pt_BR ")] == ["ar", "ar", "ar", "pt"]
    for wrong in ("arabic", "klingon", "", "a", "en gb"):
        with pytest.raises(InputError, match="not a language code"):
            language_filter(wrong)


async def test_every_story_is_filed_under_the_language_it_is_written_in(
    detector: LangidDetector,
    sessions: MemorySessionStore,
    embedder: HashingEmbedder,
    story_store: MemoryStoryStore,
) -> None:
    # The Telegram app says "en" for all three; the text decides, except for a bare "ok".
    answers = [
        telegram_answer(1, "لم تصل بطاقتي بعد رغم أنني طلبتها منذ أسبوعين", language="en"),
        telegram_answer(
            2, "Ma carte n'est toujours pas arrivée, je l'ai commandée il y a deux semaines", language="en"
        ),
        telegram_answer(3, "My card still hasn't arrived and I ordered it two weeks ago", language="ar"),
        telegram_answer(4, "ok", language="es"),
    ]
    await sessions.add_answers(answers)
    indexer = StoryIndexer(sessions, embedder, story_store, detector=detector)
    assert await indexer.drain() == 4
    filed = {story.id: story.language for story, _ in story_store.teams["T"].values()}
    assert filed == {"a1": "ar", "a2": "fr", "a3": "en", "a4": "es"}
    arabic = await StorySearch(embedder, story_store).search("T", "بطاقتي", 5, language="ar")
    assert [hit.story.id for hit in arabic] == ["a1"]


async def test_without_a_detector_the_channel_language_is_kept(
    sessions: MemorySessionStore, embedder: HashingEmbedder, story_store: MemoryStoryStore
) -> None:
    await sessions.add_answers(
        [telegram_answer(1, "لم تصل بطاقتي بعد رغم أنني طلبتها منذ أسبوعين", language="en")]
    )
    await StoryIndexer(sessions, embedder, story_store).drain()
    assert [story.language for story, _ in story_store.teams["T"].values()] == ["en"]


def test_language_detection_is_on_by_default(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(default_detector(Settings()), LangidDetector)
    monkeypatch.setenv("EARFUL_DETECT_LANGUAGE", "false")
    assert default_detector(Settings()) is None
