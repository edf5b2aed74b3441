"""The callbacks PTB calls: each translates an update, awaits the core, and sends its replies."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot, Update, User
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.telegram.config import TelegramConfig
from adapters.telegram.held import HeldParts
from adapters.telegram.merging import Added, AnswerMerger, HeldPart, Part, PendingAnswer
from adapters.telegram.ordering import PerChatUpdateProcessor
from adapters.telegram.rendering import render_hits
from adapters.telegram.sending import Sender
from adapters.telegram.translate import COMMAND_EVENTS, delivery_key, message_key, start_event
from adapters.telegram.voice import TelegramVoice
from core.choices import choice_event
from core.errors import EarfulError, InputError, InviteError
from core.invites import Invites, telegram_invite_link
from core.limits import ANSWER_CHARS, MERGED_PARTS
from core.messages import Messages
from core.models import Answer, Event, InterviewState, MessagePart, Reply, ReplyKind
from core.service import Inbound, InterviewService, Outcome
from core.stories import StoryFinder
from core.story_query import parse_story_query
from core.voice import VoiceNotes, voice_choice

CHANNEL = "telegram"
log = logging.getLogger(__name__)
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


class TelegramHandlers:
    """Everything the bot does with an update; the core decides, this only translates.

    A redelivered update is recognised by the store alone: a turn's delivery key by its commit,
    a text part (or a kept transcript) by :meth:`HeldParts.hold_part`, any other update by its
    claimed delivery."""

    def __init__(
        self,
        service: InterviewService,
        invites: Invites,
        search: StoryFinder,
        config: TelegramConfig,
        processor: PerChatUpdateProcessor,
        parts: HeldParts,
        voice: VoiceNotes | None = None,
    ) -> None:
        """``parts``: where answer parts are held and linked; ``voice``: how voice notes are heard
        (``None``: customers are asked to type)."""
        self._service = service
        self._invites = invites
        self._search = search
        self._config = config
        self._parts = parts
        self._bot: Bot | None = None
        self._sender: Sender | None = None
        self.merger = AnswerMerger(config.merge_window, self._deliver_answer, processor.hold_chat)
        self.voice = TelegramVoice(voice, service, self._take_part) if voice is not None else None

    def register(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Add the handlers, most specific first."""
        self._bot = application.bot
        self._sender = Sender(application.bot)
        # Interviews are private: messages in groups the bot was added to are ignored.
        new = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
        application.add_handler(CommandHandler("start", self.on_start, filters=new))
        for name, event in COMMAND_EVENTS.items():
            application.add_handler(CommandHandler(name, self._command(event), filters=new))
        application.add_handler(CommandHandler("help", self.on_help, filters=new))
        application.add_handler(CommandHandler("stories", self.on_stories, filters=new))
        application.add_handler(MessageHandler(new & filters.COMMAND, self.on_help))
        application.add_handler(MessageHandler(new & filters.TEXT, self.on_text))
        application.add_handler(MessageHandler(new & (filters.VOICE | filters.AUDIO), self.on_voice))
        application.add_handler(
            MessageHandler(
                filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE & filters.TEXT, self.on_edit
            )
        )
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(MessageHandler(new, self.on_unsupported))
        application.add_error_handler(self.on_error)

    # --- callbacks -----------------------------------------------------------------------

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/start [token]``: redeem the invite, or continue the interview."""
        event, token = start_event(context.args[0] if context.args else None)
        await self._turn(update, event, invite_token=token)

    def _command(self, event: Event) -> Callback:
        async def command(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
            await self._turn(update, event)

        return command

    async def on_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message: one part of an answer, delivered when the merge window closes."""
        message, user = update.message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        part = Part(update.update_id, message.message_id, message.text)
        held = HeldPart(message.chat_id, user.id, user.language_code, part)
        try:
            await self._take_part(held)
        except EarfulError as error:
            log.warning("could not hold a message part of chat %s: %s", message.chat_id, error)
            await self.send.texts(message.chat_id, [self._messages(user).try_again_later])

    async def _take_part(self, held: HeldPart) -> None:
        """Add a part (typed, or a kept transcript) to its chat's answer: held durably first, so a
        crash in the merge window loses nothing; a part past the answer's limits is refused."""
        refused = self.merger.refuses(held.chat_id, held.part)
        if refused is not None:
            await self._refused(held, refused)
            return
        fresh = await self._parts.hold_part(
            CHANNEL, str(held.user_id), delivery_key(held.part.update_id), held.dump()
        )
        if fresh:
            self.merger.add(held.chat_id, held.user_id, held.language, held.part)  # it fits (just asked)

    async def _merge(self, held: HeldPart) -> None:
        """Add a held part (replayed after a restart) to its chat's answer; one that does not
        fit is let go."""
        added = self.merger.add(held.chat_id, held.user_id, held.language, held.part)
        if added in (Added.CUT, Added.LEFT_OUT):
            await self._parts.release_parts([delivery_key(held.part.update_id)])
            await self._refused(held, added)

    async def _refused(self, held: HeldPart, refused: Added) -> None:
        """Tell the customer, once per answer, that parts past its limits were not kept."""
        if refused is Added.CUT:
            messages = self._service.catalog.messages_for(held.language or "en")
            await self.send.texts(
                held.chat_id, [messages.answer_cut.format(limit=ANSWER_CHARS, parts=MERGED_PARTS)]
            )

    async def replay_held(self) -> int:
        """Feed parts held by a previous process (stopped in a merge window) back to the merger."""
        held = await self._parts.held_parts(CHANNEL)
        for _, _, payload in held:
            await self._merge(HeldPart.load(payload))
        return len(held)

    async def on_edit(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message replaces its part of the stored answer."""
        message, user = update.edited_message, update.effective_user
        if message is None or user is None or message.text is None:
            return  # an edit applied twice (a redelivery) changes nothing more
        if self.merger.edit(message.chat_id, message.message_id, message.text):
            return
        edited = message_key(message.chat_id, message.message_id)
        try:
            linked = await self._parts.linked_parts(CHANNEL, edited)
            if linked is None:
                return  # not part of an answer: nothing to amend
            answer_id, parts = linked
            parts = [(key, message.text if key == edited else text) for key, text in parts]
            await self._parts.link_parts(CHANNEL, str(user.id), answer_id, parts)
            await self._service.amend_answer(
                CHANNEL, str(user.id), answer_id, "\n".join(text for _, text in parts)
            )
        except EarfulError as error:
            log.warning("could not apply an edit in chat %s: %s", message.chat_id, error)

    async def on_button(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """An inline button (consent, forget confirmation)."""
        query = update.callback_query
        if query is None:
            return
        with contextlib.suppress(TelegramError):
            await query.answer()
        event = choice_event(query.data or "")
        voiced = voice_choice(query.data or "")
        if event is None and voiced is None:
            return
        if query.message is not None:
            # Take the buttons away so the same choice cannot be pressed twice.
            with contextlib.suppress(TelegramError):
                await query.edit_message_reply_markup(reply_markup=None)
        if event is not None:
            await self._turn(update, event)
        elif self.voice is not None and voiced is not None:
            keep, key = voiced
            # A kept transcript is recognised again as the answer part it becomes (hold_part);
            # "type it again" claims its delivery so that it is said once.
            if keep or await self._first_time(update):
                await self.voice.choose(update, keep, key, self.send)

    async def on_help(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """``/help`` and any unknown command."""
        if update.effective_chat and await self._first_time(update):
            await self.send.texts(update.effective_chat.id, [self._messages(update.effective_user).help])

    async def on_voice(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A voice note or audio file: heard and shown back (asked to type, without voice)."""
        if self.voice is None:
            await self.on_unsupported(update, context)
            return
        if update.effective_chat and await self._first_time(update):
            await self.merger.flush(update.effective_chat.id)  # text typed before it comes first
            await self.voice.hear(update, self.bot, self.send)

    async def on_unsupported(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, files (and voice notes, without voice): ask for text (or voice)."""
        if update.effective_chat and await self._first_time(update):
            messages = self._messages(update.effective_user)
            words = messages.voice.other_media if self.voice is not None else messages.unsupported_message
            await self.send.texts(update.effective_chat.id, [words])

    async def on_stories(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/stories TEXT`` for registered team members only; customers get the help text."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or not await self._first_time(update):
            return
        team = self._config.team_of_user.get(user.id)
        messages = self._messages(user)
        if team is None:
            await self.send.texts(chat.id, [messages.help])
            return
        text = " ".join(context.args or [])
        if not text.strip():
            await self.send.texts(chat.id, [messages.stories_usage])
            return
        try:
            query = parse_story_query(text)
        except InputError as error:
            await self.send.texts(chat.id, [messages.stories_bad_filter.format(filter=str(error))])
            return
        if not query.text:
            await self.send.texts(chat.id, [messages.stories_usage])
            return
        await self.send.typing(chat.id)
        hits = await self._search.search(team, query.text, k=5, **query.filters())
        await self.send.html(chat.id, render_hits(hits, messages.stories_none, messages.evidence_kinds))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log; the customer gets a friendly line, never a stack trace."""
        log.error("telegram update failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            with contextlib.suppress(TelegramError):
                await self.send.texts(update.effective_chat.id, [self._messages(None).try_again_later])

    # --- the turn ------------------------------------------------------------------------

    async def _turn(self, update: Update, event: Event, invite_token: str | None = None) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        await self.merger.flush(chat.id)  # text typed before this command comes first
        inbound = Inbound(
            channel=CHANNEL,
            customer=str(user.id),
            event=event,
            language=user.language_code,
            delivery_key=delivery_key(update.update_id),
            invite_token=invite_token,
        )
        await self._handle(chat.id, inbound)

    async def _deliver_answer(self, pending: PendingAnswer) -> None:
        """The merged parts as one answer; its turn's commit releases the held parts and links
        them to the answer (so a later edit can amend it)."""
        if self.voice is not None:
            await self.voice.supersede(pending.user_id)
        parts = tuple(
            MessagePart(
                delivery_key=delivery_key(part.update_id),
                key=message_key(pending.chat_id, part.message_id),
                text=part.text,
            )
            for part in pending.parts
        )
        inbound = Inbound(
            channel=CHANNEL,
            customer=str(pending.user_id),
            event=Answer(text=pending.text, voice=pending.voice),
            language=pending.language,
            delivery_key=parts[0].delivery_key,
            parts=parts,
        )
        outcome = await self._handle(pending.chat_id, inbound)
        if outcome is not None and not outcome.committed and not outcome.unavailable:
            # Refused (too long, no interview) or a duplicate: these parts make no answer.
            await self._parts.release_parts([part.delivery_key for part in parts])
        # Not handled (store down): the parts stay held and are replayed at the next start.

    async def _handle(self, chat_id: int, inbound: Inbound) -> Outcome | None:
        """Run one turn, then send its replies; ``None`` when the core could not handle it."""
        messages = self._service.catalog.messages_for(inbound.language or "en")
        await self.send.typing(chat_id)
        problem = None
        try:
            outcome = await self._service.handle(inbound)
        except InviteError as error:
            outcome, problem = Outcome(None), messages.invite_problem(str(error))
        except EarfulError as error:
            log.warning("telegram turn for chat %s failed: %s", chat_id, error)
            await self.send.texts(chat_id, [messages.try_again_later])
            return None
        if problem is not None:
            await self.send.texts(chat_id, [problem])
            return outcome
        if outcome.duplicate:
            return outcome
        try:
            await self.send.replies(
                chat_id, [self._with_link(reply, outcome.state) for reply in outcome.replies]
            )
            # The wrap-up's invite, unless the customer already got one for a referral.
            if outcome.finished and outcome.state is not None and not outcome.state.referrals:
                await self._send_referral(chat_id, outcome.state)
        except TelegramError as error:
            # The turn is already stored: the customer sees the question again on /resume.
            log.warning("sending to chat %s failed after the turn was stored: %s", chat_id, error)
        return outcome

    async def _send_referral(self, chat_id: int, state: InterviewState) -> None:
        """A new invite of the same team, remembering who referred it, for the customer to forward."""
        try:
            invite = await self._invites.create(
                state.team, origin=state.origin, referred_by=state.interview_id
            )
        except EarfulError as error:
            log.warning("no referral invite for interview %s: %s", state.interview_id, error)
            return
        link = telegram_invite_link(self._config.bot_username or self.bot.username, invite.token)
        await self.send.texts(
            chat_id, [self._service.catalog.messages_for(state.language).referral.format(invite_link=link)]
        )

    def _with_link(self, reply: Reply, state: InterviewState | None) -> Reply:
        """A referral's thanks with the link of the invite the core made for it."""
        if reply.kind is not ReplyKind.REFERRAL or not reply.invite:
            return reply
        link = telegram_invite_link(self._config.bot_username or self.bot.username, reply.invite)
        messages = self._service.catalog.messages_for(state.language if state else "en")
        return reply.model_copy(
            update={"text": f"{reply.text}\n{messages.referral_invite(reply.invite, link)}"}
        )

    @property
    def bot(self) -> Bot:
        if self._bot is None:
            raise RuntimeError("handlers are not registered on an application")
        return self._bot

    @property
    def send(self) -> Sender:
        if self._sender is None:
            raise RuntimeError("handlers are not registered on an application")
        return self._sender

    # --- helpers -------------------------------------------------------------------------

    def _messages(self, user: User | None) -> Messages:
        return self._service.catalog.messages_for((user.language_code if user else None) or "en")

    async def _first_time(self, update: Update) -> bool:
        """False for an update already handled (redelivered): for updates that are no turn, whose
        commit would tell."""
        try:
            return await self._parts.claim_delivery(delivery_key(update.update_id))
        except EarfulError as error:  # unsure: answering twice beats not answering
            log.warning("could not record telegram update %s: %s", update.update_id, error)
            return True
