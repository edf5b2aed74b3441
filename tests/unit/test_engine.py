"""Every transition of the pure interview state machine."""

from __future__ import annotations

import pytest

from core.catalog import Catalog
from core.engine import AnswerDraft, InterviewEngine, Transition
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
from core.probing import Probe
from core.script import Question, Script, Section, SectionKind

Q1 = "What's the hardest part about sending invoices?"
Q2 = "Who else is involved when a client pays late?"
Q3 = "What else should I have asked you about?"

VAGUE = "We always struggle with month-end close"
STORY = "Last Tuesday the bank export failed, so I rebuilt the report by hand and it took three hours."

ALL_EVENTS: list[Event] = [
    Start(),
    Consent(given=True),
    Consent(given=False),
    Answer(text="Last week the export failed again."),
    Pause(),
    Resume(),
    Skip(),
    Stop(),
]


@pytest.fixture
def script() -> Script:
    return Script(
        id="mini.en",
        title="Invoicing",
        topic="how you get paid",
        max_probes=2,
        sections=(
            Section(
                kind=SectionKind.FRUSTRATION,
                questions=(Question(id="q1", text=Q1), Question(id="q2", text=Q2)),
            ),
            Section(kind=SectionKind.WRAPUP, max_probes=0, questions=(Question(id="q3", text=Q3),)),
        ),
    )


@pytest.fixture
def messages(catalog: Catalog) -> Messages:
    return catalog.messages_for("en")


@pytest.fixture
def engine(script: Script, messages: Messages) -> InterviewEngine:
    return InterviewEngine(script, messages)


@pytest.fixture
def invited() -> InterviewState:
    return InterviewState(
        interview_id="iv-1", team="T0123ABC", customer="4242", channel="telegram", script_id="mini.en"
    )


@pytest.fixture
def active(engine: InterviewEngine, invited: InterviewState) -> InterviewState:
    state = engine.step(invited, Start()).state
    return engine.step(state, Consent(given=True)).state


def generality(messages: Messages) -> Probe:
    return Probe(kind="generality", text=messages.probes.generality[0])


def info(text: str) -> Reply:
    return Reply(kind=ReplyKind.INFO, text=text)


def question(qid: str, text: str) -> Reply:
    return Reply(kind=ReplyKind.QUESTION, text=text, question_id=qid)


# --- start and consent ----------------------------------------------------------------------


def test_start_greets_and_asks_for_consent(
    engine: InterviewEngine, invited: InterviewState, messages: Messages
) -> None:
    t = engine.step(invited, Start())
    assert t.state.status is Status.CONSENT
    assert [r.kind for r in t.replies] == [ReplyKind.GREETING, ReplyKind.CONSENT]
    greeting, consent = t.replies
    assert greeting.text == messages.greeting.format(topic="how you get paid")
    assert "how you get paid" in greeting.text and "{topic}" not in greeting.text
    assert consent.text == messages.consent
    assert consent.choices == (
        Choice(label="Yes", value="consent:yes"),
        Choice(label="No", value="consent:no"),
    )
    assert t.answer is None and not t.erase and not t.finished


def test_greeting_uses_the_title_when_the_script_has_no_topic(
    messages: Messages, invited: InterviewState
) -> None:
    script = Script(
        id="t",
        title="payroll",
        sections=(Section(kind=SectionKind.FRUSTRATION, questions=(Question(id="a", text=Q1),)),),
    )
    t = InterviewEngine(script, messages).step(invited, Start())
    assert t.replies[0].text == messages.greeting.format(topic="payroll")


def test_start_again_while_waiting_for_consent_greets_again(
    engine: InterviewEngine, invited: InterviewState
) -> None:
    state = engine.step(invited, Start()).state
    t = engine.step(state, Start())
    assert t.state.status is Status.CONSENT
    assert [r.kind for r in t.replies] == [ReplyKind.GREETING, ReplyKind.CONSENT]


def test_consent_yes_starts_with_the_first_question(engine: InterviewEngine, invited: InterviewState) -> None:
    state = engine.step(invited, Start()).state
    t = engine.step(state, Consent(given=True))
    assert t.state.status is Status.ACTIVE
    assert t.state.position == 0
    assert t.replies == [question("q1", Q1)]
    assert t.answer is None


def test_consent_no_declines_and_stores_nothing(
    engine: InterviewEngine, invited: InterviewState, messages: Messages
) -> None:
    state = engine.step(invited, Start()).state
    t = engine.step(state, Consent(given=False))
    assert t.state.status is Status.DECLINED
    assert t.replies == [Reply(kind=ReplyKind.DONE, text=messages.declined)]
    assert t.answer is None and not t.finished and not t.erase


@pytest.mark.parametrize("typed", ["yes", "Yes!", "Sure.", "ok", "YEP", "of course", "  yeah  "])
def test_typed_yes_during_consent_starts(
    engine: InterviewEngine, invited: InterviewState, typed: str
) -> None:
    state = engine.step(invited, Start()).state
    t = engine.step(state, Answer(text=typed))
    assert t.state.status is Status.ACTIVE
    assert t.replies == [question("q1", Q1)]
    assert t.answer is None  # the consent word is not an interview answer


@pytest.mark.parametrize("typed", ["no", "Nope.", "nah", "not now", "No thanks"])
def test_typed_no_during_consent_declines(
    engine: InterviewEngine, invited: InterviewState, typed: str
) -> None:
    state = engine.step(invited, Start()).state
    t = engine.step(state, Answer(text=typed))
    assert t.state.status is Status.DECLINED
    assert t.answer is None


@pytest.mark.parametrize("typed", ["what is this about?", "asdfgh", "yes please, but who are you?", "🤔"])
def test_anything_else_during_consent_asks_again(
    engine: InterviewEngine, invited: InterviewState, messages: Messages, typed: str
) -> None:
    state = engine.step(invited, Start()).state
    t = engine.step(state, Answer(text=typed))
    assert t.state == state
    [reply] = t.replies
    assert reply.kind is ReplyKind.CONSENT
    assert reply.text == messages.consent_unclear
    assert [c.value for c in reply.choices] == ["consent:yes", "consent:no"]
    assert t.answer is None


def test_typed_yes_before_the_greeting_also_counts_as_consent(
    engine: InterviewEngine, invited: InterviewState
) -> None:
    t = engine.step(invited, Answer(text="yes"))
    assert t.state.status is Status.ACTIVE


@pytest.mark.parametrize("event", [Pause(), Resume(), Skip()])
def test_commands_before_consent_greet_again(
    engine: InterviewEngine, invited: InterviewState, event: Event
) -> None:
    state = engine.step(invited, Start()).state
    t = engine.step(state, event)
    assert t.state.status is Status.CONSENT
    assert [r.kind for r in t.replies] == [ReplyKind.GREETING, ReplyKind.CONSENT]


def test_stop_before_consent_ends_the_interview(engine: InterviewEngine, invited: InterviewState) -> None:
    state = engine.step(invited, Start()).state
    t = engine.step(state, Stop())
    assert t.state.status in (Status.STOPPED, Status.DECLINED)
    assert ReplyKind.GREETING not in [r.kind for r in t.replies]


def test_consent_again_while_active_re_asks_the_current_question(
    engine: InterviewEngine, active: InterviewState
) -> None:
    t = engine.step(active, Consent(given=False))
    assert t.state == active
    assert t.replies == [question("q1", Q1)]


def test_start_while_active_resumes_where_we_were(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    state = engine.step(active, Answer(text=STORY)).state
    t = engine.step(state, Start())
    assert t.state.status is Status.ACTIVE
    assert t.replies == [info(messages.resumed), question("q2", Q2)]


# --- answers and probes ---------------------------------------------------------------------------


def test_an_answer_with_a_probe_candidate_asks_the_probe(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    probe = generality(messages)
    t = engine.step(active, Answer(text=VAGUE), probe)
    assert t.state.status is Status.ACTIVE
    assert t.state.position == 0
    assert t.state.awaiting == "probe"
    assert t.state.pending_probe_text == probe.text
    assert t.state.probe_kinds == ("generality",)
    assert t.state.turn == 1
    assert t.replies == [Reply(kind=ReplyKind.PROBE, text=probe.text, question_id="q1")]
    assert t.answer == AnswerDraft(
        question_id="q1", question=Q1, section="frustration", text=VAGUE, probe=None, turn=1
    )
    assert not t.finished


def test_answering_the_probe_records_its_kind_and_moves_on(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    probe = generality(messages)
    probed = engine.step(active, Answer(text=VAGUE), probe).state
    t = engine.step(probed, Answer(text=STORY))
    assert t.answer == AnswerDraft(
        question_id="q1", question=probe.text, section="frustration", text=STORY, probe="generality", turn=2
    )
    assert t.state.position == 1
    assert t.state.awaiting == "question"
    assert t.state.pending_probe_text is None
    assert t.state.probe_kinds == ()
    assert t.replies == [question("q2", Q2)]


def test_a_second_probe_of_another_kind_is_allowed(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    probed = engine.step(active, Answer(text=VAGUE), generality(messages)).state
    short = Probe(kind="short", text=messages.probes.short[0])
    t = engine.step(probed, Answer(text="Fine."), short)
    assert t.state.probe_kinds == ("generality", "short")
    assert t.state.pending_probe_text == short.text
    assert t.answer is not None and t.answer.probe == "generality"
    assert t.replies[-1].kind is ReplyKind.PROBE


def test_a_probe_is_refused_once_the_limit_is_reached(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    state = engine.step(active, Answer(text=VAGUE), generality(messages)).state
    state = engine.step(state, Answer(text="Fine."), Probe(kind="short", text="Can you say more?")).state
    assert state.probes_asked == engine.script.probe_limit(0) == 2
    assert engine.probe_context(state, "Everyone hates it") is None
    t = engine.step(
        state, Answer(text="Everyone hates it."), Probe(kind="pain_action", text="What did you do?")
    )
    assert t.state.position == 1
    assert t.replies == [question("q2", Q2)]
    assert t.answer is not None and t.answer.probe == "short"


def test_a_probe_is_refused_where_the_section_allows_none(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    state = engine.step(engine.step(active, Answer(text=STORY)).state, Answer(text=STORY)).state
    assert state.position == 2
    assert engine.probe_context(state, "Fine.") is None
    t = engine.step(state, Answer(text="Fine."), Probe(kind="short", text=messages.probes.short[0]))
    assert t.state.status is Status.FINISHED
    assert ReplyKind.PROBE not in [r.kind for r in t.replies]


def test_a_probe_of_the_same_kind_as_the_last_is_refused(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    probed = engine.step(active, Answer(text=VAGUE), generality(messages)).state
    t = engine.step(probed, Answer(text="We always do."), generality(messages))
    assert t.state.position == 1
    assert t.state.probe_kinds == ()
    assert t.replies == [question("q2", Q2)]


def test_an_answer_without_a_probe_asks_the_next_question(
    engine: InterviewEngine, active: InterviewState
) -> None:
    t = engine.step(active, Answer(text=STORY))
    assert t.state.position == 1
    assert t.state.turn == 1
    assert t.replies == [question("q2", Q2)]
    assert t.answer is not None and t.answer.text == STORY and t.answer.probe is None


def test_the_last_answer_finishes_the_interview(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    state = active
    for text in (STORY, "In May a client paid 40 days late, so I called them twice."):
        state = engine.step(state, Answer(text=text)).state
    t = engine.step(state, Answer(text="Nothing else, thanks!"))
    assert t.state.status is Status.FINISHED
    assert t.finished is True
    assert t.replies == [Reply(kind=ReplyKind.DONE, text=messages.finished)]
    assert t.answer is not None and t.answer.question_id == "q3" and t.answer.turn == 3


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_an_empty_answer_asks_again_and_stores_nothing(
    engine: InterviewEngine, active: InterviewState, messages: Messages, blank: str
) -> None:
    t = engine.step(active, Answer(text=blank), Probe(kind="short", text="Can you say more?"))
    assert t.state == active
    assert t.replies == [info(messages.empty_answer)]
    assert t.answer is None


def test_answers_are_stored_exactly_as_typed(engine: InterviewEngine, active: InterviewState) -> None:
    typed = "  Honestly?\n\nThe VAT return. 😩  "
    t = engine.step(active, Answer(text=typed))
    assert t.answer is not None and t.answer.text == typed


# --- pause, resume, skip, stop ------------------------------------------------------------------------


def test_pause(engine: InterviewEngine, active: InterviewState, messages: Messages) -> None:
    t = engine.step(active, Pause())
    assert t.state.status is Status.PAUSED
    assert t.state.position == active.position
    assert t.replies == [info(messages.paused)]
    assert t.answer is None


def test_resume_re_asks_the_current_question(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    state = engine.step(engine.step(active, Answer(text=STORY)).state, Pause()).state
    t = engine.step(state, Resume())
    assert t.state.status is Status.ACTIVE
    assert t.replies == [info(messages.resumed), question("q2", Q2)]


def test_resume_re_asks_a_pending_probe(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    probe = generality(messages)
    state = engine.step(engine.step(active, Answer(text=VAGUE), probe).state, Pause()).state
    t = engine.step(state, Resume())
    assert t.state.status is Status.ACTIVE
    assert t.replies == [
        info(messages.resumed),
        Reply(kind=ReplyKind.PROBE, text=probe.text, question_id="q1"),
    ]


def test_start_while_paused_resumes(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    state = engine.step(active, Pause()).state
    t = engine.step(state, Start())
    assert t.state.status is Status.ACTIVE
    assert t.replies == [info(messages.resumed), question("q1", Q1)]


def test_an_answer_while_paused_resumes_and_is_stored(
    engine: InterviewEngine, active: InterviewState
) -> None:
    state = engine.step(active, Pause()).state
    t = engine.step(state, Answer(text=STORY))
    assert t.state.status is Status.ACTIVE
    assert t.state.position == 1
    assert t.answer is not None and t.answer.question_id == "q1" and t.answer.text == STORY
    assert t.replies == [question("q2", Q2)]


def test_an_answer_while_paused_can_still_be_probed(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    state = engine.step(active, Pause()).state
    assert engine.probe_context(state, VAGUE) is not None
    t = engine.step(state, Answer(text=VAGUE), generality(messages))
    assert t.state.status is Status.ACTIVE
    assert t.state.awaiting == "probe"


def test_skip_a_question(engine: InterviewEngine, active: InterviewState, messages: Messages) -> None:
    t = engine.step(active, Skip())
    assert t.state.position == 1
    assert t.state.turn == 0
    assert t.replies == [info(messages.skipped), question("q2", Q2)]
    assert t.answer is None


def test_skip_a_pending_probe(engine: InterviewEngine, active: InterviewState, messages: Messages) -> None:
    probed = engine.step(active, Answer(text=VAGUE), generality(messages)).state
    t = engine.step(probed, Skip())
    assert t.state.position == 1
    assert t.state.awaiting == "question"
    assert t.state.pending_probe_text is None
    assert t.state.probe_kinds == ()
    assert t.replies == [info(messages.skipped), question("q2", Q2)]
    assert t.answer is None


def test_skip_while_paused_resumes_on_the_next_question(
    engine: InterviewEngine, active: InterviewState
) -> None:
    t = engine.step(engine.step(active, Pause()).state, Skip())
    assert t.state.status is Status.ACTIVE
    assert t.state.position == 1


def test_skipping_the_last_question_finishes(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    state = engine.step(engine.step(active, Skip()).state, Skip()).state
    t = engine.step(state, Skip())
    assert t.state.status is Status.FINISHED
    assert t.finished is True
    assert t.replies == [info(messages.skipped), Reply(kind=ReplyKind.DONE, text=messages.finished)]
    assert t.answer is None


@pytest.mark.parametrize("paused", [False, True])
def test_stop(engine: InterviewEngine, active: InterviewState, messages: Messages, paused: bool) -> None:
    state = engine.step(active, Pause()).state if paused else active
    t = engine.step(state, Stop())
    assert t.state.status is Status.STOPPED
    assert t.replies == [info(messages.stopped)]
    assert t.answer is None and not t.finished


# --- after the end -----------------------------------------------------------------------------------


def ended(
    engine: InterviewEngine, invited: InterviewState, active: InterviewState, how: str
) -> InterviewState:
    if how == "finished":
        state = active
        for _ in range(3):
            state = engine.step(state, Answer(text=STORY)).state
        return state
    if how == "stopped":
        return engine.step(active, Stop()).state
    return engine.step(engine.step(invited, Start()).state, Consent(given=False)).state


@pytest.mark.parametrize("how", ["finished", "stopped", "declined"])
@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: type(e).__name__)
def test_events_after_the_end_say_it_is_over(
    engine: InterviewEngine,
    invited: InterviewState,
    active: InterviewState,
    messages: Messages,
    how: str,
    event: Event,
) -> None:
    state = ended(engine, invited, active, how)
    assert state.status.value == how
    t = engine.step(state, event, Probe(kind="short", text="Can you say more?"))
    assert t.state == state
    assert t.replies == [info(messages.already_finished)]
    assert t.answer is None and not t.erase and not t.finished


# --- forget ---------------------------------------------------------------------------------------------


def test_forget_asks_for_confirmation(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    t = engine.step(active, Forget())
    assert t.state.forget_requested is True
    assert t.state.status is Status.ACTIVE
    assert not t.erase
    [reply] = t.replies
    assert reply.kind is ReplyKind.CONFIRM_FORGET
    assert reply.text == messages.forget_confirm
    assert reply.choices == (Choice(label="Yes", value="forget:yes"), Choice(label="No", value="forget:no"))


@pytest.mark.parametrize("typed", ["yes", "Yes!", "sure"])
def test_typed_yes_confirms_the_forget(
    engine: InterviewEngine, active: InterviewState, messages: Messages, typed: str
) -> None:
    requested = engine.step(active, Forget()).state
    t = engine.step(requested, Answer(text=typed))
    assert t.erase is True
    assert t.state.status is Status.ERASED
    assert t.state.forget_requested is False
    assert t.replies == [info(messages.forgotten)]
    assert t.answer is None


@pytest.mark.parametrize("typed", ["no", "Nope."])
def test_a_typed_no_cancels_the_forget_and_re_asks(
    engine: InterviewEngine, active: InterviewState, messages: Messages, typed: str
) -> None:
    requested = engine.step(active, Forget()).state
    t = engine.step(requested, Answer(text=typed))
    assert not t.erase and t.answer is None
    assert t.state.forget_requested is False and t.state.status is Status.ACTIVE
    assert t.replies == [info(messages.forget_cancelled), engine.current_reply(active)]


def test_the_no_button_cancels_the_forget(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    requested = engine.step(active, Forget()).state
    t = engine.step(requested, Forget(cancelled=True))
    assert not t.erase and t.state.forget_requested is False
    assert t.replies[0] == info(messages.forget_cancelled)


@pytest.mark.parametrize(
    "event",
    [Answer(text="Actually, the worst part is the VAT return."), Pause(), Skip(), Start()],
    ids=["an-answer", "pause", "skip", "start"],
)
def test_anything_else_cancels_the_forget_and_is_handled_as_usual(
    engine: InterviewEngine, active: InterviewState, event: Event
) -> None:
    requested = engine.step(active, Forget()).state
    t = engine.step(requested, event)
    expected = engine.step(active, event)
    assert not t.erase
    assert t.state == expected.state
    assert t.replies == expected.replies
    assert t.answer == expected.answer


def test_confirmed_forget_erases_at_once(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    t = engine.step(active, Forget(confirmed=True))
    assert t.erase is True
    assert t.state.status is Status.ERASED
    assert t.replies == [info(messages.forgotten)]


def test_a_second_forget_request_confirms_nothing_by_itself(
    engine: InterviewEngine, active: InterviewState
) -> None:
    requested = engine.step(active, Forget()).state
    t = engine.step(requested, Forget())
    assert not t.erase
    assert t.state.forget_requested is True
    assert t.replies[0].kind is ReplyKind.CONFIRM_FORGET


@pytest.mark.parametrize("how", ["finished", "stopped", "declined"])
def test_forget_works_after_the_interview_ended(
    engine: InterviewEngine, invited: InterviewState, active: InterviewState, how: str
) -> None:
    state = ended(engine, invited, active, how)
    requested = engine.step(state, Forget())
    assert requested.replies[0].kind is ReplyKind.CONFIRM_FORGET
    t = engine.step(requested.state, Answer(text="yes"))
    assert t.erase is True and t.state.status is Status.ERASED


@pytest.mark.parametrize("event", [*ALL_EVENTS, Forget(), Forget(confirmed=True)], ids=repr)
def test_after_erasure_every_event_just_says_it_is_erased(
    engine: InterviewEngine, active: InterviewState, messages: Messages, event: Event
) -> None:
    erased = engine.step(active, Forget(confirmed=True)).state
    t = engine.step(erased, event)
    assert t.state == erased
    assert t.replies == [info(messages.forgotten)]
    assert not t.erase and t.answer is None


# --- probe context ----------------------------------------------------------------------------------------


def test_probe_context_describes_the_current_question(
    engine: InterviewEngine, active: InterviewState
) -> None:
    context = engine.probe_context(active, VAGUE)
    assert context is not None
    assert (context.question, context.section, context.answer) == (Q1, "frustration", VAGUE)
    assert (context.limit, context.probes_asked, context.previous_kinds) == (2, 0, ())
    assert context.language == "en"


def test_probe_context_after_a_probe_quotes_the_probe(
    engine: InterviewEngine, active: InterviewState, messages: Messages
) -> None:
    probe = generality(messages)
    probed = engine.step(active, Answer(text=VAGUE), probe).state
    context = engine.probe_context(probed, "Fine.")
    assert context is not None
    assert context.question == probe.text
    assert context.previous_kinds == ("generality",)
    assert context.last_kind == "generality"


def test_no_probe_context_outside_an_active_interview(
    engine: InterviewEngine, invited: InterviewState, active: InterviewState
) -> None:
    assert engine.probe_context(invited, VAGUE) is None
    assert engine.probe_context(active, "   ") is None
    assert engine.probe_context(engine.step(active, Stop()).state, VAGUE) is None


# --- the shipped script -------------------------------------------------------------------------------------


def run_without_probes(
    engine: InterviewEngine, state: InterviewState
) -> tuple[list[Transition], InterviewState]:
    transitions = []
    while state.status is Status.ACTIVE:
        t = engine.step(state, Answer(text=STORY))
        transitions.append(t)
        state = t.state
    return transitions, state


def test_the_shipped_script_runs_question_by_question(catalog: Catalog, invited: InterviewState) -> None:
    engine = catalog.engine("discovery.en")
    state = invited.model_copy(update={"script_id": "discovery.en"})
    greeting = engine.step(state, Start())
    assert "your work" in greeting.replies[0].text
    first = engine.step(greeting.state, Consent(given=True))
    assert first.replies[0].question_id == "role"
    transitions, final = run_without_probes(engine, first.state)
    expected = [q.id for _, q in engine.script.questions()]
    assert [t.answer.question_id for t in transitions if t.answer] == expected
    assert [t.answer.turn for t in transitions if t.answer] == list(range(1, len(expected) + 1))
    assert final.status is Status.FINISHED
    assert transitions[-1].finished and not any(t.finished for t in transitions[:-1])
    asked = [r.question_id for t in transitions[:-1] for r in t.replies]
    assert asked == expected[1:]


def test_the_shipped_pitch_and_wrapup_never_get_probes(catalog: Catalog, invited: InterviewState) -> None:
    engine = catalog.engine("discovery.en")
    state = invited.model_copy(update={"script_id": "discovery.en", "status": Status.ACTIVE})
    for question_id in ("pitch", "who_else", "anything_else"):
        position, _, _ = engine.script.find(question_id)
        at = state.model_copy(update={"position": position})
        assert engine.probe_context(at, "Fine.") is None
        t = engine.step(at, Answer(text="Fine."), Probe(kind="short", text="Can you say more?"))
        assert ReplyKind.PROBE not in [r.kind for r in t.replies]


def test_the_shipped_warmup_gets_no_probe(catalog: Catalog, invited: InterviewState) -> None:
    engine = catalog.engine("discovery.en")
    state = invited.model_copy(update={"script_id": "discovery.en", "status": Status.ACTIVE})
    assert engine.script.probe_limit(0) == 0
    assert engine.probe_context(state, "Fine.") is None
    t = engine.step(state, Answer(text="Fine."), Probe(kind="short", text="Can you say more?"))
    assert t.state.position == 1
    assert [r.kind for r in t.replies] == [ReplyKind.QUESTION]
    assert t.replies[0].question_id == "context"
