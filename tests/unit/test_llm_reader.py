"""The LLM answer reader with langchain's fake chat models: a checked draft is used, anything
else (invented quotes, unknown acts, plain text, an error) falls back to the offline reading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage

from adapters.answer_reader import OfflineAnswerReader
from adapters.llm_reader import LlmAnswerReader, ReadingDraft
from core.reading import Act, Facet

ANSWER = "Last Tuesday the van broke down. We lost a whole morning of deliveries."


class ToolCallingFake(FakeMessagesListChatModel):
    """langchain's fake raises on ``bind_tools``; returning self lets structured output run."""

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:  # type: ignore[override]
        return self


class FailingFake(ToolCallingFake):
    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("provider down")


def _draft(**args: Any) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": ReadingDraft.__name__, "args": args, "id": "c1"}])


async def test_checked_draft_is_the_reading() -> None:
    model = ToolCallingFake(responses=[_draft(
        act="story", language="en",
        facets=[{"facet": "occurrence", "sentences": ["Last Tuesday the van broke down."]},
                {"facet": "cost", "sentences": ["We lost a whole morning of deliveries."]}],
    )])  # fmt: skip
    reading = await LlmAnswerReader(model, OfflineAnswerReader()).read(ANSWER, question="When?")
    assert reading.act is Act.STORY and reading.reader == "llm"
    assert reading.facets == (Facet.OCCURRENCE, Facet.COST)
    assert reading.sentences(Facet.COST) == ("We lost a whole morning of deliveries.",)


async def test_invalid_output_or_error_falls_back_to_offline() -> None:
    offline = OfflineAnswerReader()
    expected = await offline.read(ANSWER, question="When?")
    invented = _draft(act="story", facets=[{"facet": "cost", "sentences": ["It cost 9000 euros."]}])
    unknown_act = _draft(act="rant", facets=[])
    model = ToolCallingFake(responses=[invented, unknown_act, AIMessage(content="plain text")])
    reader = LlmAnswerReader(model, offline)
    for _ in range(3):
        assert await reader.read(ANSWER, question="When?") == expected
    assert (
        await LlmAnswerReader(FailingFake(responses=[]), offline).read(ANSWER, question="When?") == expected
    )
