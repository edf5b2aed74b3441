"""Story search as a LangChain retriever, inside a small runnable chain with a fake chat model."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes import HashingEmbedder, MemoryStoryStore
from langchain_core.documents import Document
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from adapters.langchain_retriever import EncoderEmbeddings, LangChainChromaBaseline, StoryRetriever
from core.models import Story
from core.ranking import ExpansionRanker
from core.stories import StorySearch

TEXTS = {
    "a": ("alice", "The export to Excel broke every Monday and I redid the report by hand."),
    "b": ("bob", "Our Excel export kept failing, so I copied the numbers by hand."),
    "c": ("bob", "The Excel export failed again last week."),
    "d": ("carol", "Onboarding new staff takes us two weeks."),
}


async def build_search(story_store: MemoryStoryStore, embedder: HashingEmbedder) -> StorySearch:
    stories = [
        Story(
            id=key,
            team="T1",
            interview_id=f"interview-{who}",
            customer=who,
            question_id="q1",
            question="What was the hardest part?",
            section="frustration",
            language="en",
            channel="test",
            created_at=datetime(2026, 3, 1, tzinfo=UTC),
            text=text,
        )
        for key, (who, text) in TEXTS.items()
    ]
    await story_store.add(stories, await embedder.embed([s.text for s in stories]))
    return StorySearch(embedder, story_store, ranker=ExpansionRanker(candidates=10))


@pytest.fixture
async def search(story_store: MemoryStoryStore, embedder: HashingEmbedder) -> StorySearch:
    return await build_search(story_store, embedder)


async def test_retriever_returns_quotes_with_why_they_matched(search: StorySearch) -> None:
    retriever = StoryRetriever(search=search, team="T1", k=3)
    docs = await retriever.ainvoke("excel export failing")
    assert [d.id for d in docs][:2] in (["b", "a"], ["a", "b"])
    customers = [d.metadata["customer"] for d in docs]
    assert len(customers) == len(set(customers))  # one story per customer by default
    assert docs[0].metadata["question"] == "What was the hardest part?"
    assert docs[0].metadata["match"] in {"close", "related", "loose"}
    assert await StoryRetriever(search=search, team="other-team").ainvoke("excel export") == []


async def test_retriever_in_a_chain_with_a_fake_chat_model(search: StorySearch) -> None:
    seen_prompts: list[str] = []

    def quotes(docs: list[Document]) -> str:
        return "\n".join(f'- "{d.page_content}" ({d.metadata["customer"]})' for d in docs)

    def record(prompt: object) -> object:
        seen_prompts.append(str(prompt))
        return prompt

    model = GenericFakeChatModel(
        messages=iter([AIMessage(content="Two customers rebuild Excel reports by hand.")])
    )
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Summarise what customers said.\n{stories}"), ("human", "{question}")]
    )
    chain = (
        {"stories": StoryRetriever(search=search, team="T1", k=2) | quotes, "question": RunnablePassthrough()}
        | prompt
        | RunnableLambda(record)
        | model
        | StrOutputParser()
    )
    answer = await chain.ainvoke("Who else struggles with the Excel export?")
    assert answer == "Two customers rebuild Excel reports by hand."
    [sent] = seen_prompts
    assert "Excel export" in sent and "Onboarding" not in sent  # the model saw the retrieved quotes


def test_retriever_sync_invoke_runs_the_same_search() -> None:
    # A plain synchronous caller (no event loop running), as in a script or a notebook cell.
    search = asyncio.run(build_search(MemoryStoryStore(), HashingEmbedder()))
    docs = StoryRetriever(search=search, team="T1", k=1).invoke("onboarding new staff")
    assert [d.id for d in docs] == ["d"]


def test_langchain_chroma_baseline_finds_nearest(tmp_path: Path) -> None:
    embedder = HashingEmbedder()

    def encode(texts: list[str]) -> list[list[float]]:
        return asyncio.run(embedder.embed(texts))

    assert EncoderEmbeddings(encode).embed_query("x") == pytest.approx(encode(["x"])[0])
    baseline = LangChainChromaBaseline(encode, tmp_path / "chroma")
    baseline.add(list(TEXTS), [text for _, text in TEXTS.values()])
    assert baseline.search("onboarding new staff takes weeks", 2)[0] == "d"
