"""Files shared in Slack, fetched as the bot: ``files.info`` for the file's object and private
link, then the link with the bot token (the ``files:read`` scope). Used by ``/earful lint`` (a
script shared as a file) and by audio clips in DM interviews."""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient


class FileUnreadable(Exception):
    """The shared file cannot be fetched (unknown, too big, not text); the reason says which."""


async def private_file(
    client: AsyncWebClient, file_id: str, max_bytes: int, too_big: str, timeout: float = 20
) -> tuple[dict[str, Any], bytes]:
    """The file's object (as ``files.info`` gives it) and its bytes, at most ``max_bytes``
    (``too_big`` is the reason given for a larger file)."""
    try:
        info = await client.files_info(file=file_id)
    except SlackApiError as error:
        raise FileUnreadable(str(error.response.get("error", "unknown error"))) from None
    except SlackClientError as error:
        raise FileUnreadable(f"files.info failed: {type(error).__name__}") from None
    file: dict[str, Any] = info.get("file") or {}
    if int(file.get("size") or 0) > max_bytes:
        raise FileUnreadable(too_big)
    url = file.get("url_private_download") or file.get("url_private")
    if not url:
        raise FileUnreadable("no download link")
    headers = {"Authorization": f"Bearer {client.token}"}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.get(url, headers=headers) as response,
        ):
            if response.status != 200:
                raise FileUnreadable(f"download answered {response.status}")
            body = await response.content.read(max_bytes + 1)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise FileUnreadable(f"download failed: {type(error).__name__}") from None
    if len(body) > max_bytes:
        raise FileUnreadable(too_big)
    return file, body
