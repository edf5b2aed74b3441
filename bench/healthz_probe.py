"""Times ``GET URL`` every 20 ms, as a probe outside the bot would (a new connection each time,
as Docker's and Kubernetes' probes make), until standard input closes; prints each call's
milliseconds, connecting included, on its own line.

It runs in a process of its own so that what it measures is the bot's answer alone: a probe
sharing a process (and so an interpreter lock) with the benchmark's Telegram stand-in would
also time the stand-in's work.

    python -m bench.healthz_probe http://127.0.0.1:3000/healthz
"""

from __future__ import annotations

import http.client
import select
import sys
import time
import urllib.parse

PAUSE = 0.02


def main() -> int:
    url = urllib.parse.urlsplit(sys.argv[1])
    if url.hostname not in ("127.0.0.1", "localhost"):
        print(f"the probe only calls this machine, not {url.hostname}", file=sys.stderr)
        return 2
    while True:
        began = time.perf_counter()
        connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        try:
            connection.request("GET", url.path or "/")
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        elapsed = (time.perf_counter() - began) * 1000
        if response.status != 200:
            print(f"{url.path} answered {response.status}: {body[:200]!r}", file=sys.stderr)
            return 1
        print(f"{elapsed:.3f}", flush=True)
        if select.select([sys.stdin], [], [], PAUSE)[0]:
            return 0  # closed (or written to): the benchmark is done


if __name__ == "__main__":
    sys.exit(main())
