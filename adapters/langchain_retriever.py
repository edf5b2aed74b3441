"""Earful's story search for LangChain: a ``BaseRetriever`` a team can put in its own chains, an
``Embeddings`` wrapper around any sentence encoder, and the plain LangChain + Chroma pipeline
that ``earful eval retrieval --compare baseline`` and ``make bench`` measure Earful against.

The retriever is a thin shell: every decision (team scope, ranking, one story per customer)
stays in :class:`core.stories.StorySearch`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from core.models import StoryHit
from core.stories import StorySearch

Encode = Callable[[list[str]], Sequence[Sequence[float]]]


class EncoderEmbeddings(Embeddings):
    """A LangChain ``Embeddings`` over a function that turns texts into vectors (for example
    ``MiniLMEmbedder.encode``), so LangChain pipelines use exactly Earful's model."""

    def __init__(self, encode: Encode) -> None:
        self._encode = encode

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per text."""
        return [list(map(float, row)) for row in self._encode(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        """The vector of one query."""
        return self.embed_documents([text])[0]


def hit_document(hit: StoryHit) -> Document:
    """A search hit as a LangChain document: the quote as content, why it matched as metadata."""
    story = hit.story
    return Document(
        id=story.id,
        page_content=story.text,
        metadata={
            "question": story.question,
            "customer": story.customer,
            "interview_id": story.interview_id,
            "section": story.section,
            "created_at": story.created_at.isoformat(),
            "score": hit.score,
            "match": hit.match,
        },
    )


class StoryRetriever(BaseRetriever):
    """Similar stories of one team, as LangChain documents (one per customer by default)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: StorySearch
    team: str
    k: int = 5
    section: str | None = None
    one_per_customer: bool = True

    async def _documents(self, query: str) -> list[Document]:
        hits = await self.search.search(
            self.team, query, self.k, section=self.section, one_per_customer=self.one_per_customer
        )
        return [hit_document(hit) for hit in hits]

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun
    ) -> list[Document]:
        return await self._documents(query)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        # Earful is async end to end; a synchronous caller gets the same coroutine run to completion.
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self._documents(query))
        raise RuntimeError("StoryRetriever.invoke() inside an event loop: use `await retriever.ainvoke(...)`")


class LangChainChromaBaseline:
    """What a team would build in an afternoon: ``langchain_chroma.Chroma`` with default settings,
    ``add_texts`` and ``similarity_search``. Used only to measure Earful against it."""

    def __init__(self, encode: Encode, folder: Path, collection: str = "baseline") -> None:
        import chromadb
        from chromadb.config import Settings
        from langchain_chroma import Chroma

        client: Any = chromadb.PersistentClient(
            path=str(folder), settings=Settings(anonymized_telemetry=False)
        )
        self.store = Chroma(
            collection_name=collection, embedding_function=EncoderEmbeddings(encode), client=client
        )

    def add(self, ids: list[str], texts: list[str], batch: int = 512) -> None:
        """Index ``texts`` under ``ids``."""
        for start in range(0, len(texts), batch):
            self.store.add_texts(texts[start : start + batch], ids=ids[start : start + batch])

    def search(self, text: str, k: int) -> list[str]:
        """Ids of the ``k`` nearest texts, best first."""
        return [str(doc.id) for doc in self.store.similarity_search(text, k=k)]
