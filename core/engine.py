"""The interview as a pure state machine: ``step(state, event) -> Transition``.

No I/O and no clock: the service loads the state, has the answer read, asks the follow-up
policy for a probe candidate, calls :meth:`InterviewEngine.step`, stores what the transition
says to store, and only then sends the replies.

The engine follows the reading of each answer: it keeps the facets the interview holds (a
question whose facets are all told is skipped, or asked in its ``followup`` form quoting the
customer), answers or rephrases when the customer asks something, redirects once when an
answer is off topic, moves on when they decline, and offers to go on in the language the
customer writes in. It enforces the probing rules whatever the policy proposes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.evidence import EXPERIENCE, EXPERIENCE_FACETS
from core.messages import Messages
from core.models import (
    RECAP_QUESTION,
    Answer,
    Choice,
    Consent,
    Event,
    Forget,
    InterviewState,
    Pause,
    RecapCheck,
    Reply,
    ReplyKind,
    Resume,
    Skip,
    Start,
    Status,
    Stop,
    SwitchLanguage,
)
from core.probing import SPECIFIC_KINDS, Probe, ProbeContext
from core.reading import Act, Facet, Reading
from core.script import Question, Script

# Acts that are not an answer to the question: the engine deals with them, no probe follows.
ASIDE_ACTS = frozenset({Act.QUESTION, Act.OFF_TOPIC, Act.DECLINE})
# Facets an aside still carries: an offer made in passing is an offer.
OFFERS = frozenset({Facet.REFERRAL, Facet.COMMITMENT})
QUOTE_CHARS = 140  # longest quote of the customer's words in a followup
RECAP_CHARS = 110  # longest sentence of theirs in the recap
# What the recap tells back, in this order: what happened (or the problem), what they did, the cost.
RECAP_FACETS = ((Facet.OCCURRENCE, Facet.PROBLEM), (Facet.WORKAROUND,), (Facet.COST,))
AT_RECAP = ("recap", "correction")


@dataclass(frozen=True)
class AnswerDraft:
    """An answer the service must store before replying (the engine has no ids or clock)."""

    question_id: str
    question: str
    section: str
    text: str
    probe: str | None
    turn: int
    reading: Reading | None = None


@dataclass(frozen=True)
class Transition:
    """The result of one step: the new state, what to say, and what to store or erase."""

    state: InterviewState
    replies: list[Reply] = field(default_factory=list)
    answer: AnswerDraft | None = None
    erase: bool = False
    finished: bool = False


class InterviewEngine:
    """Runs one script in one language; ``translation(language)`` is the engine of the same
    script in another language (same questions, same order), when there is one."""

    def __init__(
        self,
        script: Script,
        messages: Messages,
        translation: Callable[[str], InterviewEngine | None] | None = None,
    ) -> None:
        self.script = script
        self.messages = messages
        self._translation = translation or (lambda _: None)
        self._questions = script.questions()

    # --- queries -----------------------------------------------------------------------

    def asked_text(self, state: InterviewState) -> str:
        """What the customer was last asked for the current question (probe, followup, rephrase)."""
        if state.awaiting == "probe" and state.pending_probe_text:
            return state.pending_probe_text
        if state.question_text:
            return state.question_text
        return self._questions[min(state.position, len(self._questions) - 1)][1].text

    def reads(self, state: InterviewState, event: Event) -> str | None:
        """The question ``event`` answers when it is an interview answer to be read, else ``None``
        (not an answer, blank, a yes/no to a pending confirmation or offer, no interview running)."""
        if not isinstance(event, Answer) or not event.text.strip():
            return None
        if state.status not in (Status.ACTIVE, Status.PAUSED) or state.position >= len(self._questions):
            return None
        if state.forget_requested and self.messages.is_yes(event.text) is not None:
            return None
        if state.language_offer is not None and self._offer_decision(state, event.text) is not None:
            return None
        return self.asked_text(state)

    def probe_context(
        self, state: InterviewState, answer: str, reading: Reading | None = None
    ) -> ProbeContext | None:
        """What a follow-up policy needs to judge ``answer``, or ``None`` when no probe may follow."""
        if state.status not in (Status.ACTIVE, Status.PAUSED) or not answer.strip():
            return None
        if state.position >= len(self._questions):
            return None
        if reading is not None and reading.act in ASIDE_ACTS:
            return None
        limit = self.script.probe_limit(state.position)
        if state.probes_asked >= limit:
            return None
        section, _ = self._questions[state.position]
        covered = frozenset(state.facets) | frozenset(reading.sure_facets if reading else ())
        return ProbeContext(
            question=self.asked_text(state),
            section=section.kind.value,
            answer=answer,
            language=state.language,
            probes_asked=state.probes_asked,
            limit=limit,
            previous_kinds=state.probe_kinds,
            reading=reading,
            covered=covered,
            asked=state.probe_texts,
            may_ask_specific=not (
                state.last_ask_specific
                or Facet.OCCURRENCE in covered
                or any(kind in SPECIFIC_KINDS for kind in state.probe_kinds)
            ),
        )

    def current_reply(self, state: InterviewState) -> Reply:
        """The question (or probe, or the recap) the customer is expected to answer now."""
        if state.awaiting in AT_RECAP and self.messages.recap is not None:
            if state.awaiting == "correction":
                return Reply(
                    kind=ReplyKind.QUESTION,
                    text=self.messages.recap.ask_correction,
                    question_id=RECAP_QUESTION,
                )
            return self._recap_reply(state)
        question_id = self._questions[state.position][1].id
        if state.awaiting == "probe" and state.pending_probe_text:
            return Reply(kind=ReplyKind.PROBE, text=state.pending_probe_text, question_id=question_id)
        return Reply(kind=ReplyKind.QUESTION, text=self.asked_text(state), question_id=question_id)

    # --- the step ----------------------------------------------------------------------

    def step(
        self,
        state: InterviewState,
        event: Event,
        probe: Probe | None = None,
        reading: Reading | None = None,
    ) -> Transition:
        """Apply ``event`` to ``state``; ``probe`` is the policy's candidate for an answer and
        ``reading`` what the answer says (from :meth:`reads`' question)."""
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
        if state.language_offer is not None:
            choice = event.accept if isinstance(event, SwitchLanguage) else None
            if isinstance(event, Answer):
                choice = self._offer_decision(state, event.text)
            if choice is not None:
                return self._language_choice(state, choice)
            # Anything else withdraws the offer and is handled as usual.
            state = state.model_copy(update={"language_offer": None})
        if isinstance(event, SwitchLanguage):
            return Transition(state, [self.current_reply(state)])  # a stale button: nothing to do
        if state.awaiting in AT_RECAP and not isinstance(event, Pause | Resume):
            return self._recap_step(state, event)
        if isinstance(event, RecapCheck):
            return Transition(state, [self.current_reply(state)])  # a stale button: nothing to do
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
        return self._answer(state, event, probe, reading)

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
        return self._arrive(active, 0, [])

    def _answer(
        self, state: InterviewState, event: Answer, probe: Probe | None, reading: Reading | None
    ) -> Transition:
        if not event.text.strip():
            return Transition(state, [self._info(self.messages.empty_answer)])
        if state.status is Status.PAUSED:
            # Writing again resumes: the customer saw the question before pausing.
            state = state.model_copy(update={"status": Status.ACTIVE})
        section, question = self._questions[state.position]
        draft = AnswerDraft(
            question_id=question.id,
            question=self.asked_text(state),
            section=section.kind.value,
            text=event.text,
            probe=state.last_probe if state.awaiting == "probe" else None,
            turn=state.turn + 1,
            reading=reading,
        )
        context = self.probe_context(state, event.text, reading)
        state = state.model_copy(update={"turn": state.turn + 1})
        replies: list[Reply] = []
        if reading is not None:
            state = self._learn(state, reading, event.text)
            if reading.sure(Facet.REFERRAL):  # thanks and an invite only for a referral surely told
                state = state.model_copy(update={"referrals": state.referrals + 1})
                replies.append(
                    Reply(
                        kind=ReplyKind.REFERRAL, text=self.messages.referral_thanks, question_id=question.id
                    )
                )
            if reading.act in ASIDE_ACTS:
                return self._aside(state, reading, event.text, replies, draft)
            offer = self._language_to_offer(state)
            if offer is not None:
                return self._offer_language(state, offer, replies, draft)
        if probe is not None and context is not None and self._allowed(state, probe):
            specific = probe.specific or self.messages.asks_specific_time(probe.text)
            probed = state.model_copy(
                update={
                    "awaiting": "probe",
                    "pending_probe_text": probe.text,
                    "probe_kinds": (*state.probe_kinds, probe.kind),
                    "probes_offered": state.probes_offered + 1,
                    "probe_texts": (*state.probe_texts, probe.text),
                    "last_ask_specific": specific,
                }
            )
            replies.append(Reply(kind=ReplyKind.PROBE, text=probe.text, question_id=question.id))
            return Transition(probed, replies, answer=draft)
        transition = self._advance(state, replies)
        return Transition(transition.state, transition.replies, answer=draft, finished=transition.finished)

    def _allowed(self, state: InterviewState, probe: Probe) -> bool:
        """The rules every probe obeys, whichever policy proposed it."""
        if probe.kind == state.last_probe or probe.text in state.probe_texts:
            return False
        if probe.seeks and all(state.holds(facet) for facet in probe.seeks):
            return False
        if probe.specific or self.messages.asks_specific_time(probe.text):
            asked_here = any(kind in SPECIFIC_KINDS for kind in state.probe_kinds)
            return not (state.last_ask_specific or state.holds(Facet.OCCURRENCE) or asked_here)
        return True

    def _learn(self, state: InterviewState, reading: Reading, text: str) -> InterviewState:
        """What this answer adds to what the interview holds. A question to us or an off-topic
        answer is not an answer: only the offers it carries (a referral, a commitment) count. Only
        what the reader is sure of is held (a question is skipped, or quotes the customer, on it)."""
        told = [
            facet
            for facet in reading.sure_facets
            if (reading.act not in (Act.QUESTION, Act.OFF_TOPIC) or facet in OFFERS)
            # what they imagine or think of an idea tells no problem, workaround or cost of theirs
            and (reading.act in EXPERIENCE or facet not in EXPERIENCE_FACETS)
        ]
        facets = tuple(facet for facet in Facet if state.holds(facet) or facet in told)
        quotes = dict(state.quotes)
        for facet in told:
            sentences = reading.sure(facet)
            # "What happened after that?" quotes a story, not a sentence of some other answer.
            quotable = reading.act is Act.STORY or facet is not Facet.OCCURRENCE
            if facet not in quotes and sentences and quotable:
                quotes[facet] = sentences[0]
        commitments = state.commitments
        if reading.sure(Facet.COMMITMENT):
            commitments = (*commitments, *reading.sure(Facet.COMMITMENT))
        foreign, count = state.foreign_language, state.foreign_answers
        if reading.act is not Act.MINIMAL:  # "ok" says little about the language
            if reading.language == state.language:
                foreign, count = None, 0
            elif reading.language == foreign:
                count += 1
            else:
                foreign, count = reading.language, 1
        return state.model_copy(
            update={
                "facets": facets,
                "quotes": quotes,
                "commitments": commitments,
                "foreign_language": foreign,
                "foreign_answers": count,
            }
        )

    # --- answers that are not answers --------------------------------------------------

    def _aside(
        self,
        state: InterviewState,
        reading: Reading,
        text: str,
        replies: list[Reply],
        draft: AnswerDraft,
    ) -> Transition:
        """A question to us, an off-topic answer or a refusal: answer, redirect, or move on."""
        asides = self.messages.asides
        if reading.act is Act.QUESTION:
            handled = self._answer_question(state, text)
            if handled is not None:
                answered, said = handled
                return Transition(answered, [*replies, *said], answer=draft)
        elif reading.act is Act.OFF_TOPIC and "redirect" not in state.asides:
            redirected = state.model_copy(update={"asides": (*state.asides, "redirect")})
            redirect = asides.redirect[state.turn % len(asides.redirect)]  # varied, never looked up
            said = [self._info(redirect), self.current_reply(redirected)]
            return Transition(redirected, [*replies, *said], answer=draft)
        elif reading.act is Act.DECLINE:
            replies = [*replies, self._info(asides.declined)]
        moved = self._advance(state, replies)
        return Transition(moved.state, moved.replies, answer=draft, finished=moved.finished)

    def _answer_question(self, state: InterviewState, text: str) -> tuple[InterviewState, list[Reply]] | None:
        """Our answer to the customer's question, then the question again; ``None`` when it was
        answered already (then the interview moves on)."""
        question = self._questions[state.position][1]
        topic = self.messages.topic_of(text)
        if topic is not None and f"topic:{topic.name}" not in state.asides:
            noted = state.model_copy(update={"asides": (*state.asides, f"topic:{topic.name}")})
            if topic.asks:  # the answer is a question of its own, asked instead of ours
                asked = noted.model_copy(
                    update={"awaiting": "question", "pending_probe_text": None, "question_text": topic.answer}
                )
                return asked, [self.current_reply(asked)]
            return noted, [self._info(topic.answer), self.current_reply(noted)]
        if "rephrase" in state.asides or state.awaiting == "probe" or state.question_text is not None:
            return None  # asked again, or puzzled by a probe or a followup: better to move on
        noted = state.model_copy(update={"asides": (*state.asides, "rephrase")})
        if question.rephrase:
            rephrased = noted.model_copy(update={"question_text": question.rephrase})
            return rephrased, [self.current_reply(rephrased)]
        return noted, [self._info(self.messages.asides.rephrase), self.current_reply(noted)]

    # --- moving through the script ---------------------------------------------------------

    def _advance(self, state: InterviewState, replies: list[Reply]) -> Transition:
        return self._arrive(state, state.position + 1, replies)

    def _arrive(self, state: InterviewState, position: int, replies: list[Reply]) -> Transition:
        """Go to the first question from ``position`` on that is still worth asking: one whose
        facets are all told is asked in its followup form or skipped, and a specific-time ask
        never follows another."""
        wording: str | None = None
        while position < len(self._questions):
            _, question = self._questions[position]
            if question.seeks and all(state.holds(facet) for facet in question.seeks):
                followup = self._followup(state, question)
                if followup is not None:
                    wording, quote = followup
                    state = state.model_copy(update={"quoted": (*state.quoted, quote)})
                    break
            elif not (
                self._asks_specific(question) and (state.last_ask_specific or state.holds(Facet.OCCURRENCE))
            ):
                break  # (a specific-time ask right after another, or after a story, is skipped)
            position += 1
        moved = state.model_copy(
            update={
                "position": position,
                "probe_kinds": (),
                "awaiting": "question",
                "pending_probe_text": None,
                "question_text": wording,
                "asides": (),
            }
        )
        if position >= len(self._questions):
            if self._recap_points(moved):
                recap = moved.model_copy(update={"awaiting": "recap", "last_ask_specific": False})
                return Transition(recap, [*replies, self._recap_reply(recap)])
            return self._finish(moved, replies)
        specific = wording is None and self._asks_specific(self._questions[position][1])
        moved = moved.model_copy(update={"last_ask_specific": specific})
        return Transition(moved, [*replies, self.current_reply(moved)])

    def _finish(
        self, state: InterviewState, replies: list[Reply], answer: AnswerDraft | None = None
    ) -> Transition:
        done = state.model_copy(
            update={"status": Status.FINISHED, "last_ask_specific": False, "awaiting": "question"}
        )
        return Transition(
            done,
            [*replies, Reply(kind=ReplyKind.DONE, text=self.messages.finished)],
            answer=answer,
            finished=True,
        )

    # --- the recap -------------------------------------------------------------------------

    def _recap_points(self, state: InterviewState) -> list[str]:
        """The customer's own sentences the recap tells back: what happened (or the problem),
        what they did, what it cost; each once, only what the reader was sure of."""
        if self.messages.recap is None:
            return []
        points: list[str] = []
        for facets in RECAP_FACETS:
            quote = next((state.quotes[f] for f in facets if state.quotes.get(f)), None)
            point = shorten(quote, RECAP_CHARS) if quote is not None else None
            if point is not None and point not in points:
                points.append(point)
        return points

    def _recap_reply(self, state: InterviewState) -> Reply:
        wording = self.messages.recap
        assert wording is not None  # only reached with a recap in the catalogue
        points = wording.joiner.join(f"«{point}»" for point in self._recap_points(state))
        return Reply(
            kind=ReplyKind.RECAP,
            text=wording.heard.format(points=points),
            question_id=RECAP_QUESTION,
            choices=(
                Choice(label=wording.right, value="recap:yes"),
                Choice(label=wording.wrong, value="recap:no"),
            ),
        )

    def _recap_step(self, state: InterviewState, event: Event) -> Transition:
        """The customer's verdict on the recap: right ends the interview; wrong asks what should
        it say; anything they write instead is their correction, kept as their answer to it."""
        wording = self.messages.recap
        state = state.model_copy(update={"status": Status.ACTIVE})
        if wording is None or isinstance(event, Skip):
            return self._finish(state, [])
        verdict: bool | None = event.right if isinstance(event, RecapCheck) else None
        if isinstance(event, Answer) and not event.text.strip():
            return Transition(state, [self._info(self.messages.empty_answer)])
        if isinstance(event, Answer) and state.awaiting == "recap":
            typed = event.text.strip().strip(".!").casefold()
            verdict = {wording.right.casefold(): True, wording.wrong.casefold(): False}.get(
                typed, self.messages.is_yes(event.text)
            )
        if verdict is True:
            return self._finish(state, [])
        if verdict is False:
            asking = state.model_copy(update={"awaiting": "correction"})
            return Transition(asking, [self.current_reply(asking)])
        if not isinstance(event, Answer):
            return Transition(state, [self.current_reply(state)])  # a stale button or command
        section = self._questions[-1][0].kind.value
        draft = AnswerDraft(
            question_id=RECAP_QUESTION,
            question=self.current_reply(state).text,
            section=section,
            text=event.text,
            probe=None,
            turn=state.turn + 1,
        )
        corrected = state.model_copy(update={"turn": state.turn + 1})
        return self._finish(corrected, [self._info(wording.corrected)], answer=draft)

    def _asks_specific(self, question: Question) -> bool:
        return Facet.OCCURRENCE in question.seeks or self.messages.asks_specific_time(question.text)

    @staticmethod
    def _followup(state: InterviewState, question: Question) -> tuple[str, str] | None:
        """``question``'s followup form quoting the customer's own words, and the sentence quoted,
        if it has one and there is a sentence not quoted back already (the same words twice
        sound like a bot that did not listen)."""
        if question.followup is None:
            return None
        for facet in question.seeks:
            quote = state.quotes.get(facet)
            if quote and quote not in state.quoted:
                return question.followup.replace("{quote}", shorten(quote)), quote
        return None

    # --- language --------------------------------------------------------------------------

    def _language_to_offer(self, state: InterviewState) -> str | None:
        """The language to offer: two answers in a row in it, a script of ours in it, not offered yet."""
        language = state.foreign_language
        if language is None or state.foreign_answers < 2 or language in state.languages_offered:
            return None
        return language if self._translation(language) is not None else None

    def _offer_language(
        self, state: InterviewState, language: str, replies: list[Reply], draft: AnswerDraft
    ) -> Transition:
        other = self._translation(language)
        moved = self._advance(state, replies)
        if other is None or moved.finished or moved.state.awaiting in AT_RECAP:
            return Transition(moved.state, moved.replies, answer=draft, finished=moved.finished)
        offered = moved.state.model_copy(
            update={"language_offer": language, "languages_offered": (*state.languages_offered, language)}
        )
        offer = Reply(
            kind=ReplyKind.LANGUAGE,
            text=other.messages.language_offer,
            choices=(
                Choice(label=other.messages.consent_yes, value="language:yes"),
                Choice(label=other.messages.consent_no, value="language:no"),
            ),
        )
        # The next question waits for the choice, to be asked in the chosen language.
        return Transition(offered, [*moved.replies[:-1], offer], answer=draft)

    def _offer_decision(self, state: InterviewState, text: str) -> bool | None:
        """A typed yes or no to the language offer, in either language."""
        decision = self.messages.is_yes(text)
        other = self._translation(state.language_offer) if state.language_offer else None
        if decision is None and other is not None:
            decision = other.messages.is_yes(text)
        return decision

    def _language_choice(self, state: InterviewState, accept: bool) -> Transition:
        language = state.language_offer
        state = state.model_copy(
            update={"language_offer": None, "foreign_language": None, "foreign_answers": 0}
        )
        other = self._translation(language) if accept and language else None
        if other is None:
            return Transition(state, [self._info(self.messages.language_kept), self.current_reply(state)])
        return other.continue_from(state)

    def continue_from(self, state: InterviewState) -> Transition:
        """Take over an interview from its translation: same position and answers, this script."""
        question = self._questions[state.position][1]
        wording = self._followup(state, question) if state.question_text else None
        switched = state.model_copy(
            update={"script_id": self.script.id, "language": self.script.language, "question_text": wording}
        )
        return Transition(
            switched, [self._info(self.messages.language_switched), self.current_reply(switched)]
        )

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


def shorten(quote: str, limit: int = QUOTE_CHARS) -> str:
    """The customer's sentence for quoting inside ours: one line, no closing punctuation, cut at
    a word near ``limit``."""
    text = " ".join(quote.split()).rstrip(".!?…;:, ")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(".!?…;:, ") + "…"
