"""The installation's pseudonym secret: EARFUL_PSEUDONYM_SECRET when set (replicas share it),
else a random one made once and kept beside the data (``<data dir>/pseudonym.secret``, 0600)."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from bot.settings import Settings
from core.errors import InputError, StoreUnavailable
from core.pseudonyms import MIN_SECRET_BYTES, SECRET_BYTES, Pseudonymizer


def pseudonymizer(settings: Settings) -> Pseudonymizer:
    """How this installation names its customers."""
    if settings.pseudonym_secret is not None:
        given = settings.pseudonym_secret.get_secret_value().encode()
        if len(given) < MIN_SECRET_BYTES:
            raise InputError(f"EARFUL_PSEUDONYM_SECRET needs at least {MIN_SECRET_BYTES} characters")
        return Pseudonymizer(given)
    return Pseudonymizer(kept_secret(settings.pseudonym_secret_path))


def kept_secret(path: Path) -> bytes:
    """The secret in ``path``, made (random, readable by its owner only) when there is none.
    Two processes starting at once keep the one written first."""
    try:
        if not path.exists():
            _make(path)
        secret = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise StoreUnavailable(
            f"cannot keep the pseudonym secret at {path}: {reason}; set EARFUL_DATA_DIR to a"
            " writable directory or set EARFUL_PSEUDONYM_SECRET"
        ) from None
    if len(secret) < MIN_SECRET_BYTES:
        raise StoreUnavailable(f"the pseudonym secret at {path} is too short; restore it from a backup")
    return secret


def _make(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    made = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(SECRET_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(made, path)  # refused when another process kept its secret first
    finally:
        made.unlink(missing_ok=True)
