""":class:`core.voice.Transcriber` on faster-whisper (CTranslate2) and the Whisper base model.

Everything runs on one worker thread of its own: the model is made ready and loaded there on the
first recording (so nothing waits for it at start, and no event loop ever does), and recordings
are transcribed one after another, each with the cores CTranslate2 is given, rather than several
fighting for them.

Recordings are decoded with PyAV (which faster-whisper depends on) frame by frame, and decoding
stops as soon as the audio runs past the limit: a small file cannot make the bot decode hours.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import av
import av.error
import numpy as np
from av.audio.resampler import AudioResampler
from numpy.typing import NDArray

from adapters.whisper_model import prepare_model
from core.errors import AudioTooLong, TranscriptionFailed, VoiceModelMissing
from core.voice import Transcript

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # what Whisper listens at
# The interview's language is the likeliest: another language must be this many times likelier
# by the audio alone to be chosen (Whisper's detection is unsure on a few seconds of speech).
LANGUAGE_PRIOR = 5.0
# Greedy decoding: beams of 5 took ~1.5x as long here (and got some words of a synthetic voice
# right that greedy missed); greedy keeps a 20 s note under half its length on 2 busy cores.
BEAM_SIZE = 1


class _Segment(Protocol):
    text: str
    avg_logprob: float
    tokens: list[int]


class _Info(Protocol):
    language: str
    duration: float


class _WhisperModel(Protocol):
    """The part of ``faster_whisper.WhisperModel`` used here (the package ships no types)."""

    def detect_language(self, audio: NDArray[np.float32]) -> tuple[str, float, list[tuple[str, float]]]: ...

    def transcribe(
        self,
        audio: NDArray[np.float32],
        *,
        language: str,
        beam_size: int,
        vad_filter: bool,
        condition_on_previous_text: bool,
        without_timestamps: bool,
    ) -> tuple[Iterable[_Segment], _Info]: ...


class WhisperTranscriber:
    """Whisper base, int8 on the CPU. ``model_dir`` is where the model is joined (once)."""

    def __init__(self, model_dir: Path, *, threads: int = 2) -> None:
        self.model_dir = model_dir
        self._threads = threads
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="earful-whisper")
        self._model: _WhisperModel | None = None

    async def transcribe(
        self, audio: bytes, *, max_seconds: float, language: str | None = None
    ) -> Transcript:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.transcribe_now, audio, max_seconds, language)

    async def warm_up(self) -> None:
        """Make the model ready and load it now rather than at the first recording."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._loaded)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def transcribe_now(self, audio: bytes, max_seconds: float, language: str | None = None) -> Transcript:
        """:meth:`transcribe`, on the calling thread (the command line and the benchmark)."""
        samples = decode(audio, max_seconds)
        seconds = round(len(samples) / SAMPLE_RATE, 2)
        model = self._loaded()
        try:
            _, _, probabilities = model.detect_language(samples)
            chosen = likeliest(probabilities, language)
            segments, _ = model.transcribe(
                samples,
                language=chosen,
                beam_size=BEAM_SIZE,
                vad_filter=True,  # silence is skipped, not "heard" as made-up words
                condition_on_previous_text=False,  # one misheard sentence does not derail the rest
                without_timestamps=True,
            )
            heard = list(segments)
        except (RuntimeError, ValueError) as error:  # CTranslate2 reports its failures so
            raise TranscriptionFailed(f"the speech model failed: {error}") from None
        text = " ".join(segment.text.strip() for segment in heard).strip()
        return Transcript(text=text, language=chosen, avg_logprob=mean_logprob(heard), seconds=seconds)

    def _loaded(self) -> _WhisperModel:
        if self._model is None:
            folder = prepare_model(self.model_dir)
            try:
                from faster_whisper import WhisperModel  # type: ignore[import-untyped]
            except ImportError:
                raise VoiceModelMissing(
                    "faster-whisper is not installed: pip install 'earful[voice]'"
                ) from None
            # A folder path: faster-whisper loads it as is and never asks the hub for anything.
            model: _WhisperModel = WhisperModel(
                str(folder), device="cpu", compute_type="int8", cpu_threads=self._threads
            )
            self._model = model
            log.info("speech model loaded from %s", folder)
        return self._model


def likeliest(probabilities: Sequence[tuple[str, float]], expected: str | None) -> str:
    """The language Whisper heard, with ``expected`` (the interview's) :data:`LANGUAGE_PRIOR`
    times likelier than any other before listening."""
    if not probabilities:
        return expected or "en"
    weighted = [
        (probability * (LANGUAGE_PRIOR if language == expected else 1.0), language)
        for language, probability in probabilities
    ]
    return max(weighted)[1]


def mean_logprob(segments: Sequence[_Segment]) -> float | None:
    """The transcript's mean token log-probability (segments weighted by their tokens)."""
    tokens = sum(len(segment.tokens) for segment in segments)
    if not tokens:
        return None
    total = sum(segment.avg_logprob * len(segment.tokens) for segment in segments)
    return round(total / tokens, 4)


def decode(audio: bytes, max_seconds: float) -> NDArray[np.float32]:
    """``audio`` (any container and codec FFmpeg reads) as 16 kHz mono samples in [-1, 1].

    Raises :class:`AudioTooLong` as soon as it lasts more than ``max_seconds`` (by its header,
    or while decoding), and :class:`TranscriptionFailed` when it holds no readable audio."""
    limit = math.ceil(max_seconds * SAMPLE_RATE)
    chunks: list[NDArray[np.generic]] = []  # int16 samples (the resampler's s16 format)
    total = 0
    try:
        with av.open(io.BytesIO(audio), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise TranscriptionFailed("the file holds no audio")
            declared = container.duration / av.time_base if container.duration else 0.0
            if declared > max_seconds + 1:
                raise AudioTooLong(declared, max_seconds)
            resampler = AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in _frames(container):
                for resampled in resampler.resample(frame):
                    chunk = resampled.to_ndarray().reshape(-1)
                    total += len(chunk)
                    if total > limit:
                        raise AudioTooLong(total / SAMPLE_RATE, max_seconds)
                    chunks.append(chunk)
            chunks.extend(flushed.to_ndarray().reshape(-1) for flushed in resampler.resample(None))
    except av.error.FFmpegError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise TranscriptionFailed(f"the recording cannot be decoded ({reason})") from None
    except (ValueError, IndexError, EOFError) as error:
        raise TranscriptionFailed(f"the recording cannot be decoded: {type(error).__name__}") from None
    if not chunks:
        raise TranscriptionFailed("no audio could be decoded from the recording")
    samples: NDArray[np.float32] = np.concatenate(chunks).astype(np.float32) / np.float32(32768.0)
    return samples


def _frames(container: av.container.InputContainer) -> Iterable[av.AudioFrame]:
    """The first audio stream's frames; a damaged frame is skipped, as players do."""
    packets = container.demux(audio=0)
    for packet in packets:
        try:
            frames = packet.decode()
        except av.error.InvalidDataError:
            continue
        for frame in frames:
            if isinstance(frame, av.AudioFrame):
                yield frame
