"""The interview as a pure state machine: ``step(state, event) -> Transition``.

No I/O and no clock: the service loads the state, asks the follow-up policy for a probe
candidate, calls :meth:`InterviewEngine.step`, stores what the transition says to store,
and only then sends the replies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.messages import Messages
from core.models import (
    Answer,
    Choice,
    Consent,
    Event,
    Forget,
    InterviewState,
    Pause,
    Reply,
    ReplyKind,
    Resume,
    Skip,
    Start,
    Status,
    Stop,
)
from core.probing import Probe, ProbeContext
from core.script import Script


@dataclass(frozen=True)
class AnswerDraft:
    """An answer the service must store before replying (the engine has no ids or clock)."""

    question_id: str
    question: str
    section: str
    text: str
    probe: str | None
    turn: int


@dataclass(frozen=True)
class Transition:
    """The result of one step: the new state, what to say, and what to store or erase."""

    state: InterviewState
    replies: list[Reply] = field(default_factory=list)
    answer: AnswerDraft | None = None
    erase: bool = False
    finished: bool = False


class InterviewEngine:
    """Runs one script in one language."""

    def __init__(self, script: Script, messages: Messages) -> None:
        self.script = script
        self.messages = messages
        self._questions = script.questions()

    # --- queries -----------------------------------------------------------------------

    def probe_context(self, state: InterviewState, answer: str) -> ProbeContext | None:
        """What a follow-up policy needs to judge ``answer``, or ``None`` when no probe may follow."""
        if state.status not in (Status.ACTIVE, Status.PAUSED) or not answer.strip():
            return None
        if state.position >= len(self._questions):
            return None
        limit = self.script.probe_limit(state.position)
        if state.probes_asked >= limit:
            return None
        section, question = self._questions[state.position]
        return ProbeContext(
            question=state.pending_probe_text or question.text,
            section=section.kind.value,
            answer=answer,
            language=state.language,
            probes_asked=state.probes_asked,
            limit=limit,
            previous_kinds=state.probe_kinds,
        )

    def current_reply(self, state: InterviewState) -> Reply:
        """The question (or probe) the customer is expected to answer now."""
        if state.awaiting == "probe" and state.pending_probe_text:
            question_id = self._questions[state.position][1].id
            return Reply(kind=ReplyKind.PROBE, text=state.pending_probe_text, question_id=question_id)
        _, question = self._questions[state.position]
        return Reply(kind=ReplyKind.QUESTION, text=question.text, question_id=question.id)

    # --- the step ----------------------------------------------------------------------

    def step(self, state: InterviewState, event: Event, probe: Probe | None = None) -> Transition:
        """Apply ``event`` to ``state``; ``probe`` is the policy's candidate for an answer."""
        if state.status is Status.ERASED:
            return Transition(state, [self._info(self.messages.forgotten)])
        if isinstance(event, Forget):
            return self._forget(state, event)
        if state.forget_requested:
            # A typed yes confirms, a typed no cancels; anything else cancels the request and
            # is handled as usual (the customer simply went on answering).
            state = state.model_copy(update={"forget_requested": False})
            decision = self.messages.is_yes(event.text) if isinstance(event, Answer) else None
            if decision is True:
                return self._forget(state, Forget(confirmed=True))
            if decision is False:
                return self._forget(state, Forget(cancelled=True))
        if state.status in (Status.FINISHED, Status.STOPPED, Status.DECLINED):
            return Transition(state, [self._info(self.messages.already_finished)])
        if isinstance(event, Stop):
            return Transition(
                state.model_copy(update={"status": Status.STOPPED}), [self._info(self.messages.stopped)]
            )
        if isinstance(event, Start):
            return self._start(state)
        if isinstance(event, Consent):
            return self._consent(state, event.given)
        if state.status in (Status.INVITED, Status.CONSENT):
            if isinstance(event, Answer):
                decision = self.messages.is_yes(event.text)
                if decision is not None:
                    return self._consent(state, decision)
                return Transition(state, [self._consent_reply(self.messages.consent_unclear)])
            return self._start(state)
        if isinstance(event, Pause):
            return Transition(
                state.model_copy(update={"status": Status.PAUSED}), [self._info(self.messages.paused)]
            )
        if isinstance(event, Resume):
            resumed = state.model_copy(update={"status": Status.ACTIVE})
            return Transition(resumed, [self._info(self.messages.resumed), self.current_reply(resumed)])
        if isinstance(event, Skip):
            skipped = state.model_copy(update={"status": Status.ACTIVE})
            return self._advance(skipped, [self._info(self.messages.skipped)])
        return self._answer(state, event, probe)

    # --- transitions -------------------------------------------------------------------

    def _start(self, state: InterviewState) -> Transition:
        if state.status in (Status.INVITED, Status.CONSENT):
            greeting = self.messages.greeting.format(topic=self.script.topic or self.script.title)
            return Transition(
                state.model_copy(update={"status": Status.CONSENT}),
                [
                    Reply(kind=ReplyKind.GREETING, text=greeting),
                    self._consent_reply(self.messages.consent),
                ],
            )
        resumed = state.model_copy(update={"status": Status.ACTIVE})
        return Transition(resumed, [self._info(self.messages.resumed), self.current_reply(resumed)])

    def _consent(self, state: InterviewState, given: bool) -> Transition:
        if state.status not in (Status.INVITED, Status.CONSENT):
            return Transition(state, [self.current_reply(state)])
        if not given:
            return Transition(
                state.model_copy(update={"status": Status.DECLINED}),
                [Reply(kind=ReplyKind.DONE, text=self.messages.declined)],
            )
        active = state.model_copy(update={"status": Status.ACTIVE, "position": 0})
        return Transition(active, [self.current_reply(active)])

    def _answer(self, state: InterviewState, event: Answer, probe: Probe | None) -> Transition:
        if not event.text.strip():
            return Transition(state, [self._info(self.messages.empty_answer)])
        replies: list[Reply] = []
        if state.status is Status.PAUSED:
            # Writing again resumes: the customer saw the question before pausing.
            state = state.model_copy(update={"status": Status.ACTIVE})
        section, question = self._questions[state.position]
        draft = AnswerDraft(
            question_id=question.id,
            question=(state.pending_probe_text or question.text)
            if state.awaiting == "probe"
            else question.text,
            section=section.kind.value,
            text=event.text,
            probe=state.last_probe if state.awaiting == "probe" else None,
            turn=state.turn + 1,
        )
        state = state.model_copy(update={"turn": state.turn + 1})
        context = self.probe_context(state, event.text)
        if probe is not None and context is not None and probe.kind != context.last_kind:
            probed = state.model_copy(
                update={
                    "awaiting": "probe",
                    "pending_probe_text": probe.text,
                    "probe_kinds": (*state.probe_kinds, probe.kind),
                    "probes_offered": state.probes_offered + 1,
                }
            )
            replies.append(Reply(kind=ReplyKind.PROBE, text=probe.text, question_id=question.id))
            return Transition(probed, replies, answer=draft)
        transition = self._advance(state, replies)
        return Transition(transition.state, transition.replies, answer=draft, finished=transition.finished)

    def _advance(self, state: InterviewState, replies: list[Reply]) -> Transition:
        position = state.position + 1
        moved = state.model_copy(
            update={
                "position": position,
                "probe_kinds": (),
                "awaiting": "question",
                "pending_probe_text": None,
            }
        )
        if position >= len(self._questions):
            done = moved.model_copy(update={"status": Status.FINISHED})
            return Transition(
                done, [*replies, Reply(kind=ReplyKind.DONE, text=self.messages.finished)], finished=True
            )
        return Transition(moved, [*replies, self.current_reply(moved)])

    def _forget(self, state: InterviewState, event: Forget) -> Transition:
        if event.cancelled:
            cancelled = state.model_copy(update={"forget_requested": False})
            replies = [self._info(self.messages.forget_cancelled)]
            if cancelled.status is Status.ACTIVE:
                replies.append(self.current_reply(cancelled))
            return Transition(cancelled, replies)
        if not event.confirmed:
            return Transition(
                state.model_copy(update={"forget_requested": True}),
                [
                    Reply(
                        kind=ReplyKind.CONFIRM_FORGET,
                        text=self.messages.forget_confirm,
                        choices=(
                            Choice(label=self.messages.consent_yes, value="forget:yes"),
                            Choice(label=self.messages.consent_no, value="forget:no"),
                        ),
                    )
                ],
            )
        erased = state.model_copy(update={"status": Status.ERASED, "forget_requested": False})
        return Transition(erased, [self._info(self.messages.forgotten)], erase=True)

    # --- helpers -----------------------------------------------------------------------

    def _consent_reply(self, text: str) -> Reply:
        return Reply(
            kind=ReplyKind.CONSENT,
            text=text,
            choices=(
                Choice(label=self.messages.consent_yes, value="consent:yes"),
                Choice(label=self.messages.consent_no, value="consent:no"),
            ),
        )

    @staticmethod
    def _info(text: str) -> Reply:
        return Reply(kind=ReplyKind.INFO, text=text)
