"""A mixed-language store on the real parts (Chroma, MiniLM, multilingual-e5, py3langid),
searched from English and from Arabic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.settings import Settings
from bot.wiring import App, build_app
from core.models import AnswerRecord, StoryHit

TEAM = "T-MIXED"

# Six unrelated banking problems, each told once in English and once in Arabic (and two in
# French), by different customers. Every Arabic line is hinted "en" on purpose: the text, not
# the channel's hint, must decide the language.
TOPICS: dict[str, dict[str, str]] = {
    "stolen_card": {
        "en": "Someone stole my card from my bag and I need to block it right now",
        "ar": "سرق أحدهم بطاقتي من حقيبتي وأحتاج إلى إيقافها الآن",
        "fr": "On m'a volé ma carte dans mon sac, je dois la bloquer tout de suite",
    },
    "exchange_rate": {
        "en": "The exchange rate you gave me when I converted dollars to euros was awful",
        "ar": "سعر الصرف الذي حصلت عليه عندما حولت الدولارات إلى يورو كان سيئاً جداً",
    },
    "charged_twice": {
        "en": "I was charged twice for the same purchase at the supermarket",
        "ar": "تم خصم المبلغ مرتين لنفس عملية الشراء في السوبرماركت",
        "fr": "J'ai été débité deux fois pour le même achat au supermarché",
    },
    "forgot_pin": {
        "en": "I forgot the PIN code of my card and cannot withdraw cash",
        "ar": "نسيت الرقم السري لبطاقتي ولا أستطيع سحب النقود",
    },
    "refund_missing": {
        "en": "The shop refunded my order a week ago but the money is still not in my account",
        "ar": "أعاد المتجر ثمن طلبي قبل أسبوع لكن المال لم يصل إلى حسابي بعد",
    },
    "new_card_arrival": {
        "en": "I ordered a new card three weeks ago and it still has not arrived in the post",
        "ar": "طلبت بطاقة جديدة قبل ثلاثة أسابيع وما زالت لم تصل بالبريد",
    },
}


def _answers() -> list[AnswerRecord]:
    now = datetime.now(UTC)
    answers = []
    for topic, versions in TOPICS.items():
        for language, text in versions.items():
            customer = f"{topic}-{language}"
            answers.append(
                AnswerRecord(
                    id=f"answer-{customer}",
                    interview_id=f"interview-{customer}",
                    team=TEAM,
                    customer=customer,
                    pseudonym=f"Customer-{customer}",
                    channel="telegram",
                    question_id="frustration",
                    question="What was hard?",
                    section="frustration",
                    text=text,
                    language="en",  # the hint; wrong for the Arabic and French answers
                    turn=1,
                    created_at=now,
                    label=topic,
                )
            )
    return answers


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[App]:
    folder: Path = tmp_path_factory.mktemp("mixed")
    settings = Settings(data_dir=folder, chroma_url=None, multilingual=True)
    async with build_app(settings) as built:
        await built.sessions.add_answers(_answers())
        await built.indexer.drain()
        yield built


def _first_in(hits: list[StoryHit], language: str) -> str | None:
    return next((hit.story.label for hit in hits if hit.story.language == language), None)


pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


async def test_each_story_is_filed_under_the_language_of_its_text(app: App) -> None:
    hits = await app.search.search(TEAM, "card", 50, one_per_customer=False)
    languages = {
        hit.story.label + "/" + hit.story.customer.split("-")[-1]: hit.story.language for hit in hits
    }
    assert len(languages) == sum(len(v) for v in TOPICS.values())
    assert all(key.split("/")[1] == language for key, language in languages.items())


@pytest.mark.parametrize("topic", sorted(TOPICS))
async def test_an_english_question_finds_the_story_told_in_arabic(app: App, topic: str) -> None:
    hits = await app.search.search(TEAM, TOPICS[topic]["en"], 8)
    assert hits[0].story.label == topic and hits[0].story.language == "en"
    assert _first_in(hits, "ar") == topic
    assert {hit.story.language for hit in hits} >= {"en", "ar"}


@pytest.mark.parametrize("topic", sorted(TOPICS))
async def test_an_arabic_question_finds_the_story_told_in_english(app: App, topic: str) -> None:
    hits = await app.search.search(TEAM, TOPICS[topic]["ar"], 8)
    assert _first_in(hits, "en") == topic
    assert _first_in(hits, "ar") == topic


async def test_the_language_filter_keeps_one_language(app: App) -> None:
    question = "someone took my card, I need it blocked"
    french = await app.search.search(TEAM, question, 5, language="fr")
    assert [hit.story.language for hit in french] == ["fr", "fr"]
    assert french[0].story.label == "stolen_card"
    arabic = await app.search.search(TEAM, question, 3, language="ar")
    assert {hit.story.language for hit in arabic} == {"ar"} and arabic[0].story.label == "stolen_card"
    english = await app.search.search(TEAM, TOPICS["forgot_pin"]["ar"], 3, language="en")
    assert {hit.story.language for hit in english} == {"en"} and english[0].story.label == "forgot_pin"


async def test_erasing_a_customer_removes_their_story_from_both_indexes(app: App) -> None:
    await app.stories.delete_interviews(TEAM, ["interview-forgot_pin-ar"])
    hits = await app.search.search(TEAM, TOPICS["forgot_pin"]["ar"], 20, one_per_customer=False)
    assert "Customer-forgot_pin-ar" not in {hit.story.customer for hit in hits}
    assert _first_in(hits, "en") == "forgot_pin"


async def test_by_default_a_team_enters_the_multilingual_index_when_it_needs_to(tmp_path: Path) -> None:
    # EARFUL_MULTILINGUAL=auto: English stories go to the English index only, until the team's
    # first Arabic story, when they are copied into the multilingual index too; another team
    # with English stories only gets it at its first Arabic question.
    english = [answer for answer in _answers() if answer.customer.endswith("-en")]
    arabic = [answer for answer in _answers() if answer.customer.endswith("-ar")]
    other = [answer.model_copy(update={"id": f"{answer.id}-U", "team": "T-OTHER"}) for answer in english]
    async with build_app(Settings(data_dir=tmp_path, chroma_url=None)) as app:
        assert app.settings.multilingual == "auto"
        await app.sessions.add_answers(english + other)
        await app.indexer.drain()
        stories = app.multilingual
        assert stories is not None
        assert not await stories.covers(TEAM) and not await stories.covers("T-OTHER")
        hits = await app.search.search(TEAM, TOPICS["charged_twice"]["en"], 3)
        assert hits[0].story.label == "charged_twice" and not await stories.covers(TEAM)

        await app.sessions.add_answers(arabic)
        await app.indexer.drain()
        assert await stories.ready(TEAM)
        hits = await app.search.search(TEAM, TOPICS["stolen_card"]["en"], 8)
        assert _first_in(hits, "en") == "stolen_card" and _first_in(hits, "ar") == "stolen_card"

        assert not await stories.covers("T-OTHER")  # nothing asked in Arabic yet
        hits = await app.search.search("T-OTHER", TOPICS["forgot_pin"]["ar"], 3)
        assert await stories.ready("T-OTHER")
        hits = await app.search.search("T-OTHER", TOPICS["forgot_pin"]["ar"], 3)
        assert hits[0].story.label == "forgot_pin" and hits[0].story.language == "en"
