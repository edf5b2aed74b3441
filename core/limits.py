"""Size limits on what comes in from outside, in one place (issue 18).

Each limit bounds the work one sender can cause before anything is parsed: a request body is
capped before any signature check or JSON parsing, an import line before it is decoded, a
script file before it is read.
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
