"""Drive the real ``earful`` command in a subprocess, as a person at a terminal would."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

EARFUL = [sys.executable, "-m", "bot"]
PROMPT = "you> "


def earful_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EARFUL_", "SLACK_", "TELEGRAM_"))
    }
    env["EARFUL_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class ChatProcess:
    """``earful chat`` with a pipe on stdin and stdout; reads up to each ``you>`` prompt."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.transcript = ""

    @classmethod
    async def start(cls, data_dir: Path, *args: str, env: dict[str, str] | None = None) -> ChatProcess:
        process = await asyncio.create_subprocess_exec(
            *EARFUL,
            "chat",
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**earful_env(data_dir), **(env or {})},
            cwd=data_dir.parent,
        )
        return cls(process)

    async def read_turn(self, timeout: float = 30.0) -> list[str]:
        """The bot's lines up to the next prompt (or to the end of output)."""
        assert self.process.stdout is not None
        raw = b""  # bytes until the prompt: a character may take several (é, ¿)
        while not raw.endswith(PROMPT.encode()):
            chunk = await asyncio.wait_for(self.process.stdout.read(1), timeout)
            if not chunk:
                break
            raw += chunk
        buffer = raw.decode("utf-8", errors="replace")
        self.transcript += buffer
        return [line.removeprefix("earful> ") for line in buffer.splitlines() if line.startswith("earful> ")]

    async def say(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode() + b"\n")
        await self.process.stdin.drain()

    async def close_input(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    async def finish(self, timeout: float = 60.0) -> tuple[int, str, str]:
        out, err = await asyncio.wait_for(self.process.communicate(), timeout)
        self.transcript += out.decode(errors="replace")
        return self.process.returncode or 0, self.transcript, err.decode(errors="replace")

    def kill(self) -> None:
        self.process.kill()


async def run_earful(
    data_dir: Path, *args: str, stdin: str = "", timeout: float = 120.0
) -> tuple[int, str, str]:
    """Run one ``earful`` command to completion; returns (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        *EARFUL,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=earful_env(data_dir),
        cwd=data_dir.parent,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), timeout)
    return process.returncode or 0, out.decode(errors="replace"), err.decode(errors="replace")
