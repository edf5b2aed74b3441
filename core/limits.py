"""Every size limit on text that reaches Earful from outside, in one place.

A customer (or a file, or an unsigned HTTP caller) must not be able to make one turn, one
import or one request cost more than the rest of the bot can wait for. Each limit is named for
what it bounds; the edges that enforce them import them from here, and the customer-facing
refusals quote them (``prompts/messages.*.yaml``).
"""

from __future__ import annotations

# Slack's and Telegram's largest real payloads (a modal's state, a 4,096-character message with
# its entities) are a few tens of kilobytes; 1 MiB leaves room and still bounds memory per request.
MAX_REQUEST_BODY_BYTES = 1024 * 1024

# One JSON line of ``earful import`` (in bytes, as read): an answer with its metadata. Longer
# lines are skipped (reported by number) without being held in memory whole.
MAX_IMPORT_LINE_BYTES = 1024 * 1024

# An interview script (YAML): the shipped ones are under 10 KB.
MAX_SCRIPT_FILE_BYTES = 1024 * 1024

# One answer as stored and indexed: typed, transcribed, or merged from several messages.
# About 1,500 words, several times the longest real answer in the interview data; a
# Telegram message holds at most 4,096 characters, so a long answer still fits in a few parts.
ANSWER_CHARS = 10_000

# Messages merged into one answer (Telegram splits long texts; people hit Enter mid-thought).
MERGED_PARTS = 10
