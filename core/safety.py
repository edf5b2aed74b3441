"""What a generated (LLM) text may not say before it reaches a customer or a team.

An LLM reads customer text, and customer text can carry instructions. Whatever the model was
talked into, Earful never asks a customer a question with a link in it or one that asks for
a password, a card or account number or a code, and never posts a summary whose line carries
a link or a specific (a number, an address, a handle) the customer did not say. These checks
are plain rules on the output, so they hold whatever the input was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A link in any form a reader could follow: a scheme, www., a bare domain with a common TLD
# (bit.ly/x, evil.example.com), a Telegram or Slack deep link, markup that hides a target.
_LINK = re.compile(
    r"""(?ix)
    \b[a-z][a-z0-9+.-]{1,15}://\S+                # http://, https://, tg://, slack://, ...
    | \bwww\.\S+
    | \b(?:mailto|tel|sms|javascript|data):\S+
    | \b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.
      (?:com|net|org|io|co|me|ly|app|dev|info|biz|xyz|site|online|top|link|click|gl|gg|to|sh|ai
        |ru|cn|uk|de|fr|es|it|nl|eu|us|ca|au|in|br|tk|ml|ga|cf|su|example)\b(?:/\S*)?
    | \[[^\]]*\]\([^)]*\)                           # [text](target)
    | <[^>\s]*[:/.][^>\s]*>                         # <https://...|text> (Slack), <a.b>
    """
)
# What nobody running an interview needs, in the languages scripts ship in (en, es, fr).
_SECRET = (
    r"pass\s?words?|pass\s?codes?|pass\s?phrases?|pin\s?(?:codes?|numbers?)|\byour\s+pin\b|code\s+pin"
    r"|one[-\s]?time\s+(?:pass)?codes?"
    r"|\botps?\b|2fa|mfa|verification\s+codes?|security\s+codes?|confirmation\s+codes?|sms\s+codes?"
    r"|log[-\s]?in\s+(?:details|info|credentials)|credentials?|user\s?names?\s+and\s+pass"
    r"|cvv2?|cvc2?|card\s+numbers?|credit\s+cards?|debit\s+cards?|card\s+details|expiry\s+date"
    r"|expiration\s+date|account\s+numbers?|bank\s+(?:account|details|login)|\biban\b|swift\s+code"
    r"|routing\s+numbers?|sort\s+codes?|social\s+security|\bssn\b|tax\s+id|passport\s+numbers?"
    r"|seed\s+phrases?|recovery\s+(?:phrases?|codes?|words)|private\s+keys?|api\s+keys?"
    r"|access\s+tokens?|contraseñas?|clave\s+(?:de\s+acceso|secreta|bancaria)|n[uú]mero\s+de\s+(?:(?:la|tu|su)\s+)?(?:tarjeta|cuenta)"
    r"|tarjetas?\s+de\s+(?:cr[eé]dito|d[eé]bito)|c[oó]digo\s+de\s+(?:verificaci[oó]n|seguridad)"
    r"|mots?\s+de\s+passe|code\s+secret|num[eé]ro\s+de\s+(?:(?:votre|ta|la)\s+)?(?:carte|compte)|cartes?\s+(?:bancaires?|de\s+cr[eé]dit)"
    r"|code\s+de\s+(?:v[eé]rification|s[eé]curit[eé])|\brib\b"
)
_SECRET_WORD = re.compile(_SECRET, re.I)
# Asking for one: "what is your card number", "send me the code", "share your password".
_SECRET_REQUEST = re.compile(
    r"\b(?:send|give|share|provide|enter|type|tell|confirm|reply|write|paste|post|dm|text|verify"
    r"|read\s+out|what(?:'s|\s+is|\s+are|\s+was)|which\s+is|env[ií]a|dame|dime|comparte|escribe"
    r"|cu[aá]l\s+es|envoie|envoyez|donne|donnez|quel(?:le)?\s+est)\b[^.?!]{0,60}?(?:" + _SECRET + r")",
    re.I,
)
# Specifics a summary line may only repeat: numbers, e-mail addresses, @handles.
_SPECIFIC = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+|\d[\d.,:/-]*\d|\d")


def probe_problem(question: str) -> str | None:
    """Why a generated follow-up question may not be asked (``None`` when it may).

    A probe asks about the customer's past; it has no reason to carry a link or to name a
    password, a card, an account or a code at all, so any mention of one is refused."""
    if _LINK.search(question):
        return "it carries a link"
    if _SECRET_WORD.search(question):
        return "it asks about credentials, a card or an account number"
    return None


def summary_problem(line: str, transcript: Iterable[str]) -> str | None:
    """Why a generated summary line (the gist) may not be posted (``None`` when it may): a link,
    a request for credentials, or a number, address or handle that no answer contains."""
    if _LINK.search(line):
        return "it carries a link"
    if _SECRET_REQUEST.search(line):
        return "it asks for credentials, a card or an account number"
    said = "\n".join(transcript).casefold()
    for specific in _SPECIFIC.findall(line):
        if specific.casefold() not in said:
            return f"it says {specific!r}, which no answer says"
    return None
