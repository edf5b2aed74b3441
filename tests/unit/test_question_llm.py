"""The optional LLM question classifier with langchain's fake chat models: its structured answer
is used, anything else falls back to the offline classifier; LLM probes pass the same check."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult

from adapters.llm import LlmFollowUp, ProbeDraft
from adapters.question_llm import LlmQuestionClassifier, QuestionDraft
from adapters.question_rules import RuleQuestionClassifier
from core.catalog import Catalog
from core.probing import ProbeContext, RuleBasedFollowUp
from core.questions import QuestionKind


class ToolCallingFake(FakeMessagesListChatModel):
    """langchain's fake that replies with scripted messages; ``bind_tools`` returns itself so
    ``with_structured_output`` parses the scripted tool calls for real."""

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:  # type: ignore[override]
        return self


class BrokenFake(ToolCallingFake):
    async def _agenerate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        raise ConnectionError("provider down")


class SlowFake(ToolCallingFake):
    async def _agenerate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        await asyncio.sleep(5)
        return self._generate(messages, *args, **kwargs)


def call(schema: type, **args: Any) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": schema.__name__, "args": args, "id": "call-1"}])


def classifier(*responses: AIMessage, timeout: float = 5.0) -> LlmQuestionClassifier:
    return LlmQuestionClassifier(
        ToolCallingFake(responses=list(responses)), RuleQuestionClassifier(), timeout
    )


async def test_the_models_kind_and_sentence_are_used() -> None:
    text = "Thanks. How would you describe your week?"
    llm = classifier(call(QuestionDraft, kind="hypothetical", sentence="How would you describe your week?"))
    reading = await llm.classify(text, language="en")
    assert reading.kind is QuestionKind.HYPOTHETICAL  # the model's view, though the rules say open
    assert reading.sentence == "How would you describe your week?"


async def test_a_sentence_not_in_the_question_becomes_the_whole_question() -> None:
    llm = classifier(call(QuestionDraft, kind="rating", sentence="Something it made up."))
    reading = await llm.classify("On a scale of 1 to 5, how bad is it?")
    assert (reading.kind, reading.sentence) == (QuestionKind.RATING, "On a scale of 1 to 5, how bad is it?")


async def test_an_unknown_kind_no_tool_call_or_an_error_falls_back_to_the_rules() -> None:
    question = "What's the most you'd pay per month for it?"
    llm = classifier(
        call(QuestionDraft, kind="sneaky", sentence=question),
        AIMessage(content="I think it is open."),
    )
    assert (await llm.classify(question)).kind is QuestionKind.PRICE  # invalid kind
    assert (await llm.classify(question)).kind is QuestionKind.PRICE  # prose instead of a tool call
    broken = LlmQuestionClassifier(BrokenFake(responses=[]), RuleQuestionClassifier())
    assert (await broken.classify(question)).kind is QuestionKind.PRICE  # the provider is down


async def test_a_slow_model_falls_back_to_the_rules() -> None:
    slow = LlmQuestionClassifier(
        SlowFake(responses=[call(QuestionDraft, kind="open", sentence="")]), RuleQuestionClassifier(), 0.05
    )
    reading = await slow.classify("Would you use an app for this?")
    assert reading.kind is QuestionKind.HYPOTHETICAL


def context(section: str) -> ProbeContext:
    return ProbeContext(
        question="What's the hardest part?",
        section=section,
        answer="It always breaks, it's so frustrating.",
        language="en",
        probes_asked=0,
        limit=2,
    )


async def test_llm_probes_pass_the_question_classifier_or_the_rules_probe_is_asked(catalog: Catalog) -> None:
    rules = RuleBasedFollowUp(catalog.messages_for)
    expected = await rules.propose(context("frustration"))
    rating = "On a scale of 1 to 10, how bad was it?"
    demo = "Can I show you a demo next Monday at 9?"
    model = ToolCallingFake(
        responses=[
            call(ProbeDraft, ask=True, question=rating),
            call(ProbeDraft, ask=True, question=demo),
            call(ProbeDraft, ask=True, question=demo),
        ]
    )
    policy = LlmFollowUp(model, rules, RuleQuestionClassifier())
    assert await policy.propose(context("frustration")) == expected  # a rating probe: rejected
    assert await policy.propose(context("frustration")) == expected  # a commitment before the pitch
    accepted = await policy.propose(context("reaction"))  # a commitment at the pitch: welcome
    assert accepted is not None and accepted.text == demo


async def test_llm_probes_checked_by_the_llm_classifier(catalog: Catalog) -> None:
    rules = RuleBasedFollowUp(catalog.messages_for)
    probe = "Tell me about the last time it broke."
    proposer = ToolCallingFake(responses=[call(ProbeDraft, ask=True, question=probe)] * 2)
    judge = classifier(
        call(QuestionDraft, kind="leading", sentence=probe),
        call(QuestionDraft, kind="open", sentence=probe),
    )
    policy = LlmFollowUp(proposer, rules, judge)
    assert await policy.propose(context("frustration")) == await rules.propose(context("frustration"))
    accepted = await policy.propose(context("frustration"))
    assert accepted is not None and accepted.text == probe
