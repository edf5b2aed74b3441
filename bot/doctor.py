"""``earful doctor``: what is installed, configured and reachable, one line per check.

Each check ends ``ok``, ``problem`` (with the exact command or setting that fixes it) or
``off`` (not configured). ``earful run`` runs the same checks at start and refuses to start
on a fatal problem, in the same words. The checks themselves are in :mod:`bot.checks`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

State = Literal["ok", "problem", "off"]


@dataclass(frozen=True)
class Check:
    """One check's outcome. ``fatal``: ``earful run`` cannot work with this problem."""

    name: str
    state: State
    detail: str
    fix: str = ""
    fatal: bool = False

    def line(self) -> str:
        """``state  name  detail`` and, for a problem, ``-> fix: ...``, on one line."""
        text = f"{self.state:<8} {self.name:<20} {self.detail}"
        return f"{text}  -> fix: {self.fix}" if self.fix else text


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def off(name: str, detail: str) -> Check:
    return Check(name, "off", detail)


def problem(name: str, detail: str, fix: str, *, fatal: bool = True) -> Check:
    return Check(name, "problem", detail, fix, fatal)


CheckStep = Callable[[], Awaitable[list[Check]]]


async def run_steps(steps: Sequence[tuple[str, CheckStep]]) -> list[Check]:
    """Run each step in order; a step that fails in a way nobody foresaw is itself a problem
    (named, with its error) instead of a crash of the doctor."""
    checks: list[Check] = []
    for name, step in steps:
        try:
            checks.extend(await step())
        except Exception as error:  # noqa: BLE001 - the doctor reports every failure, it never dies of one
            detail = f"the check itself failed: {type(error).__name__}: {error}"
            checks.append(problem(name, detail, "run with EARFUL_LOG_LEVEL=DEBUG and report it"))
    return checks


def healthy(checks: Sequence[Check]) -> bool:
    """Everything configured works: no check is a problem."""
    return all(check.state != "problem" for check in checks)


def fatal(checks: Sequence[Check]) -> list[Check]:
    """The problems ``earful run`` does not start with."""
    return [check for check in checks if check.state == "problem" and check.fatal]


def as_text(checks: Sequence[Check]) -> str:
    counts = {state: sum(c.state == state for c in checks) for state in ("ok", "problem", "off")}
    summary = f"{counts['ok']} ok, {counts['problem']} problem(s), {counts['off']} off"
    return "\n".join([*(check.line() for check in checks), summary]) + "\n"


def as_json(checks: Sequence[Check]) -> str:
    body = {"ok": healthy(checks), "checks": [asdict(check) for check in checks]}
    return json.dumps(body, indent=2) + "\n"
