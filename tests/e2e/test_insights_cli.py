"""End to end: an interview through `earful chat` (piped stdin), then `earful persona`,
`themes`, `export` and `report`, and the report opened in a real headless browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

pytestmark = pytest.mark.slow

EARFUL = [sys.executable, "-m", "bot"]
ANSWERS = """yes
I'm the operations lead at a small bakery chain with four shops. I juggle suppliers and rotas.
I need to get supplier invoices paid on time and keep stock counts right across the shops.
Matching invoices is a nightmare. The supplier portal exports broken CSV files.
Last Tuesday the export failed <script>alert(1)</script> and I spent three hours retyping invoices.
I called the supplier's support line, they said it was a known issue, and I fixed the file myself that night.
It comes up every week, and our accountant gets pulled in whenever the totals don't match.
I built a spreadsheet with lookup formulas and now I check each delivery note against it by hand.
About 6 hours a week of my time, and last month we paid a 200 euro late fee because an invoice slipped.
In October the late fee landed on the same day as payroll and I had to move money between accounts.
It would have to read the supplier CSV files without me fixing them first.
Changing tools in the middle of the season worries me, the staff are stretched already.
My friend who runs a cafe has the same invoice mess.
Nothing else, thanks.
"""


def _earful(*args: str) -> str:
    """Run a command in this process (fast); its output."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("EARFUL_REQUIRE_SERVICES") == "1":
        pytest.fail("chromium is required (EARFUL_REQUIRE_SERVICES=1) but not installed")
    return found


def test_interview_to_persona_themes_export_and_report(isolated_env: Path) -> None:
    # The interview itself runs as a real process reading piped stdin, as a person would use it.
    chat = subprocess.run([*EARFUL, "chat", "--customer", "baker-1", "--team", "T1"], input=ANSWERS,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert chat.returncode == 0, chat.stderr
    exported = [
        json.loads(line) for line in _earful("export", "--format", "jsonl", "--team", "T1").splitlines()
    ]
    assert len(exported) == 1 and exported[0]["status"] == "finished"
    assert "baker-1" not in json.dumps(exported)  # pseudonyms only
    interview_id = exported[0]["interview_id"]

    persona = _earful("persona", interview_id)
    assert "operations lead" in persona and "late fee" in persona

    # Built from the evidence (issue 16): every workaround sentence, the score and its parts.
    summary = _earful("summary", interview_id)
    assert "Top frustrations:" in summary and "spreadsheet" in summary
    assert "quality score:" in summary and "pitch before any problem was heard: no" in summary

    themes = json.loads(_earful("themes", "--team", "T1", "--json"))
    # Themes are built from the answers that tell a problem (issue 16), not from every answer.
    assert themes and 0 < sum(t["stories"] for t in themes) < len(exported[0]["answers"])
    assert all(t["occurrence_customers"] <= t["customers"] for t in themes)
    frustration = json.loads(_earful("themes", "--team", "T1", "--section", "frustration", "--json"))
    assert 0 < sum(t["stories"] for t in frustration) <= sum(
        1 for a in exported[0]["answers"] if a["section"] == "frustration")  # fmt: skip
    assert "text,created_at" in _earful("export", "--format", "csv", "--team", "T1").splitlines()[0]
    assert "> Last Tuesday" in _earful("export", "--team", "T1")

    bad = subprocess.run(
        [*EARFUL, "persona", "nope"], capture_output=True, text=True, timeout=60, check=False
    )
    assert bad.returncode == 1 and "no interview 'nope'" in bad.stderr and "Traceback" not in bad.stderr

    report = isolated_env / "report.html"
    _earful("report", "--team", "T1", "--out", str(report))
    page = report.read_text(encoding="utf-8")
    assert "<svg" in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert not any(marker in page for marker in ("src=", "href=", "url(", "@import", "https://"))
    assert "<script" not in page.lower() or "&lt;script&gt;" in page  # customer text stays text

    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install -y chromium); report checked as HTML only")
    profile = isolated_env / "chromium-profile"
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert "Earful report: team T1" in rendered
    assert rendered.count('class="theme-bar"') == len(themes)  # the report draws every problem's themes
    assert "operations lead" in rendered and "Words they use" in rendered
    assert "Interview quality" in rendered and "customer's share of words" in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # shown as text, never run
