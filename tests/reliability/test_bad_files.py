"""Bad files are reported, never fatal (issue 18, finding 10): ``earful import`` skips each
bad line by number (too long, too deep, not an object, no text, not UTF-8) and imports the
rest; ``earful lint`` refuses what is not a script-sized regular file, at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app as cli
from core.limits import MAX_IMPORT_LINE_BYTES, MAX_SCRIPT_FILE_BYTES

EARFUL = [sys.executable, "-m", "bot"]
GOOD = [
    {"id": "g1", "customer": "acme", "text": "Month-end close takes us four days of copying invoices"},
    {"id": "g2", "customer": "globex", "text": "Our warehouse scanners drop the wifi every afternoon"},
    {"id": "g3", "customer": "initech", "text": "Nobody can find last year's contracts when audits come"},
]


def test_every_bad_line_is_reported_and_the_good_ones_are_imported(isolated_env: Path) -> None:
    lines: list[bytes] = [
        json.dumps(GOOD[0]).encode(),  # 1
        b"[" * 100_000 + b"]" * 100_000,  # 2: nested 100,000 deep
        json.dumps({"id": "long", "text": "x" * (MAX_IMPORT_LINE_BYTES + 10)}).encode(),  # 3: too long
        b'[{"text": "an array, not an object"}]',  # 4
        b'{"id": "no-text", "customer": "acme"}',  # 5
        b'{"id": "bad-bytes", "text": "caf\xe9 with Latin-1 bytes"}',  # 6: invalid UTF-8
        b"",  # 7: empty, nothing to say
        json.dumps(GOOD[1]).encode(),  # 8
        b"{not json",  # 9
        json.dumps(
            {"id": "deep-ok", "text": "nested metadata", "meta": json.loads("[" * 900 + "]" * 900)}
        ).encode(),  # 10: deep, but parseable: imported
        json.dumps(GOOD[2]).encode(),  # 11, no newline at the end
    ]
    path = isolated_env / "stories.jsonl"
    path.write_bytes(b"\n".join(lines))
    result = CliRunner().invoke(cli, ["import", str(path), "--team", "T1"])
    assert result.exit_code == 0, result.output
    assert "imported 4 new stories (0 already known, 6 bad lines skipped)" in result.stdout
    reported = {
        int(line.split(":")[1]): line for line in result.stderr.splitlines() if line.startswith(str(path))
    }
    assert sorted(reported) == [2, 3, 4, 5, 6, 9]
    assert "nested too deeply" in reported[2]
    assert f"longer than {MAX_IMPORT_LINE_BYTES} bytes" in reported[3]
    assert "expected a JSON object" in reported[4]
    assert "'text' is missing" in reported[5]
    assert "not valid UTF-8 (byte 0xe9" in reported[6]
    assert "not valid JSON" in reported[9]
    assert "unexpected" not in result.output
    found = CliRunner().invoke(cli, ["stories", "copying invoices at month-end", "--team", "T1", "--k", "10"])
    assert found.exit_code == 0 and "four days of copying invoices" in found.stdout
    assert "\ufffd" not in found.stdout and "Latin-1" not in found.stdout  # nothing kept half-decoded


def _lint(*paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EARFUL, "lint", *paths], capture_output=True, text=True, timeout=60, check=False)


def test_lint_refuses_devices_pipes_directories_and_huge_files(tmp_path: Path) -> None:
    fifo = tmp_path / "script.fifo"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * MAX_SCRIPT_FILE_BYTES + b"\n")
    for refused in ("/dev/zero", str(fifo), str(tmp_path), str(huge)):
        result = _lint(refused)  # /dev/zero used to be read forever
        assert result.returncode == 2, (refused, result.stderr)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"error: {refused}:") and "Traceback" not in result.stderr
    assert "not a regular file" in _lint("/dev/zero").stderr
    assert "bytes a script may have" in _lint(str(huge)).stderr


def test_lint_still_reads_real_scripts() -> None:
    shipped = Path(__file__).resolve().parents[2] / "prompts" / "discovery.en.yaml"
    result = _lint(str(shipped))
    assert result.returncode == 0 and ": ok (" in result.stdout


@pytest.mark.parametrize("body", [b"\xff\xfe", b"key: [unclosed"])
def test_a_bad_script_is_still_a_script_error(tmp_path: Path, body: bytes) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(body)
    result = _lint(str(bad))
    # A broken script exits 2 (issue 15: 1 is for a script whose questions teach nothing),
    # with the file named in a script error, not refused as "not a script file".
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"{bad}: ")
