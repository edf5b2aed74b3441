"""Every size limit on text that reaches Earful from outside, in one place.

A customer (or a file, or an unsigned HTTP caller) must not be able to make one turn, one
import or one request cost more than the rest of the bot can wait for. Each limit is named for
what it bounds; the edges that enforce them import them from here, and the customer-facing
refusals quote them (``prompts/messages.*.yaml``).
"""

from __future__ import annotations

# One answer as stored and indexed: typed, transcribed, or merged from several messages.
# About 1,500 words, several times the longest real answer in the interview data; a
# Telegram message holds at most 4,096 characters, so a long answer still fits in a few parts.
ANSWER_CHARS = 10_000

# Messages merged into one answer (Telegram splits long texts; people hit Enter mid-thought).
MERGED_PARTS = 10

# One line of an ``earful import`` JSONL file, in bytes: an answer at its limit, 4 bytes a
# character at worst, plus its metadata.
IMPORT_LINE_BYTES = 4 * ANSWER_CHARS + 8_192

# One inbound HTTP request body (Slack events, Telegram webhook updates), in bytes, checked
# before any parsing or signature work. Slack's and Telegram's largest payloads are tens of KB.
REQUEST_BODY_BYTES = 1_048_576

# One interview script or message catalogue file, in bytes (ours are under 10 KB).
SCRIPT_FILE_BYTES = 1_048_576
