"""Pseudonyms: the name a customer goes by wherever their words are shown or indexed.

A pseudonym is an HMAC-SHA256 of (team, channel, customer id) under the installation's own
secret, 64 bits of it shown: nobody without the secret can compute a customer's pseudonym from
their Slack or Telegram id, and two customers of a team meet one name once in 2^32 teams of
65,536 customers. The secret is passed in (bot/wiring.py keeps it in the data directory or reads
EARFUL_PSEUDONYM_SECRET); the core never reads files. A pseudonym names; it never selects what
to erase (erasure goes by raw customer id or interview id, see core/eraser.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

PSEUDONYM_PREFIX = "Customer-"
SECRET_BYTES = 32  # the size of a secret this installation makes itself
MIN_SECRET_BYTES = 16  # below 128 bits a secret could be guessed
SHOWN_HEX = 16  # 64 bits


@dataclass(frozen=True)
class Pseudonymizer:
    """Names customers under one installation's ``secret`` (never shown: ``repr`` leaves it out)."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_SECRET_BYTES:
            raise ValueError(f"a pseudonym secret needs at least {MIN_SECRET_BYTES} bytes")

    @classmethod
    def throwaway(cls) -> Pseudonymizer:
        """Names under a fresh random secret, for data never kept (evaluations, benches)."""
        return cls(secrets.token_bytes(SECRET_BYTES))

    def name(self, team: str, channel: str, customer: str) -> str:
        """``Customer-3F9A2C0B71D4E865``: the same person in the same team always gets the same
        name under the same secret."""
        message = f"{team}\x00{channel}\x00{customer}".encode()
        digest = hmac.new(self.secret, message, hashlib.sha256).hexdigest()
        return f"{PSEUDONYM_PREFIX}{digest[:SHOWN_HEX].upper()}"


def legacy_pseudonym(team: str, channel: str, customer: str) -> str:
    """The first scheme's pseudonym (24 bits of an unkeyed SHA-256): kept only so that data
    written with it can be recognised and re-keyed (``earful rekey``); never for new names."""
    digest = hashlib.sha256(f"{team}\x00{channel}\x00{customer}".encode()).hexdigest()
    return f"{PSEUDONYM_PREFIX}{digest[:6].upper()}"
