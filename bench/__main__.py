"""``make bench``: Earful's speed figures next to their targets and, where one applies, the plain
LangChain + Chroma pipeline measured in the same run. Prints one table. The 100,000 benchmark
stories and their vectors are cached under bench/.cache/ (the first run embeds them: slow)."""

from __future__ import annotations

import asyncio
import json
import platform
import subprocess
import sys
from dataclasses import dataclass

from bench.figures import chat_first_question, core_turns, earful_import, langchain_import, percentile


@dataclass
class Row:
    """One line of the table: lower is better unless ``higher`` (then the target is a minimum)."""

    figure: str
    unit: str
    target: float
    measured: float
    baseline: float | None = None
    higher: bool = False
    digits: int = 1

    def cells(self) -> list[str]:
        sign = ">=" if self.higher else "<="
        met = self.measured >= self.target if self.higher else self.measured <= self.target
        base = "-" if self.baseline is None else f"{self.baseline:.{self.digits}f} {self.unit}"
        ratio = "-"
        if self.baseline:
            # Always "how many times better Earful is": >1 means Earful wins.
            ratio = f"{self.measured / self.baseline if self.higher else self.baseline / self.measured:.2f}x"
        return [
            self.figure,
            f"{sign} {self.target:g} {self.unit}",
            f"{self.measured:.{self.digits}f} {self.unit}",
            base,
            ratio,
            "yes" if met else "NO",
        ]


def _measured(module: str, *args: str) -> dict[str, float]:
    """The JSON line a measuring module prints, run in a process of its own."""
    run = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"{module} {' '.join(args)} failed:\n{run.stderr[-2000:]}")
    result: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def _search(pipeline: str) -> dict[str, float]:
    return _measured("bench.search_proc", pipeline)


def _load() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return handle.read().split()[0]
    except OSError:
        return "?"


def main() -> None:
    print(
        f"bench: {platform.machine()}, load average {_load()} at start; first run embeds 100,000 stories",
        file=sys.stderr,
    )
    turns = asyncio.run(core_turns())
    read_turns = asyncio.run(core_turns(interviews=True))
    print("bench: core turns done", file=sys.stderr)
    ours, theirs = _search("earful"), _search("langchain")
    print("bench: story search done", file=sys.stderr)
    imported, imported_lc = asyncio.run(earful_import()), langchain_import()
    print("bench: import done", file=sys.stderr)
    chat = chat_first_question()
    from bench.flood import measure as flood

    floods = {flooders: asyncio.run(flood(flooders)) for flooders in (1, 10)}
    print("bench: floods done", file=sys.stderr)
    voice = _measured("bench.voice_proc")
    print(f"bench: voice done ({voice['load_s']:.1f} s to load the speech model)", file=sys.stderr)
    rows = [
        Row("core turn p50 (answer in -> question out, committed)", "ms", 5, percentile(turns, 0.5)),
        Row("core turn p99", "ms", 25, percentile(turns, 0.99)),
        Row("core turn with reading p50 (real interview answers)", "ms", 15, percentile(read_turns, 0.5)),
        Row("core turn with reading p99", "ms", 40, percentile(read_turns, 0.99)),
        Row("story search p50, 100,000 stories", "ms", 20, ours["p50_ms"], theirs["p50_ms"]),
        Row("story search p99, 100,000 stories", "ms", 60, ours["p99_ms"], theirs["p99_ms"]),
        Row("import (record, outbox, embed, index)", "stories/s", 300, imported, imported_lc, higher=True),
        Row("resident memory, model + 100,000 stories", "MiB", 1024, ours["rss_mib"], theirs["rss_mib"]),
        Row("earful chat: first question", "s", 3, chat),
    ]
    rows += [
        Row("voice note (20 s, Opus) transcribed: real-time factor", "x", 0.5, voice["rtf"], digits=2),
        Row("resident memory added by voice (model loaded, note heard)", "MiB", 512, voice["added_mib"]),
    ]
    for flooders, figures in floods.items():
        who = "1 customer floods" if flooders == 1 else f"{flooders} customers flood"
        rows.append(
            Row(f"{who} (250 x 4,000 chars): others' turn p99", "ms", 1000, percentile(figures.turns, 0.99))
        )
        rows.append(Row(f"{who}: /healthz p99", "ms", 200, percentile(figures.health, 0.99)))
    header = ["figure", "target", "Earful", "LangChain+Chroma", "ratio", "met"]
    table = [header, *[row.cells() for row in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for n, line in enumerate(table):
        print(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(line)
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"(load average {_load()} at the end; ratio > 1 means Earful is better)")


if __name__ == "__main__":
    main()
