"""A worker process for the crash tests: JSON-line messages in (stdin), one JSON line out per
message once its turn is durable. Settings come from the environment (EARFUL_DATABASE_URL or
EARFUL_DATA_DIR), like `earful run`; the story index is left out to keep a start under a second."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fakes import HashingEmbedder, MemoryStoryStore
from harness import Message

from bot.settings import Settings
from bot.wiring import build_app


async def main() -> None:
    async with build_app(Settings(), stories=MemoryStoryStore(), embedder=HashingEmbedder()) as app:
        print(json.dumps({"ready": True}), flush=True)
        loop = asyncio.get_running_loop()
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            message = Message.from_json(line)
            outcome = await app.service.handle(message.inbound())
            reply = {
                "key": message.key,
                "duplicate": outcome.duplicate,
                "unavailable": outcome.unavailable,
                "status": outcome.state.status.value if outcome.state else None,
            }
            print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
