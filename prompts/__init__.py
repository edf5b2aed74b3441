"""Interview scripts and message wording, shipped as package data and validated on load.

``discovery.<lang>.yaml`` are scripts; ``messages.<lang>.yaml`` are message catalogues;
``rewrites.yaml`` says why each kind of closed question teaches nothing and what to ask instead.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.script_files import read_script_file
from core.catalog import Catalog
from core.errors import ScriptError
from core.lint import LintFinding, Rewrites, lint_script, parse_rewrites, question_forms
from core.messages import Messages, parse_messages
from core.script import Script, parse_script


def _read_yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ScriptError(source, [f"{where}not valid YAML ({problem})"]) from None


def read_script(path: str | Path) -> Script:
    """Read a script file and check its structure (not yet its questions); :class:`ScriptError`
    names the file and field, :class:`~core.errors.InputError` refuses what is not a
    script-sized regular file."""
    path = Path(path)
    return parse_script_text(read_script_file(path), str(path))


def load_script(path: str | Path) -> Script:
    """Read and validate a script file, questions included; :class:`ScriptError` names the file
    and field, or the question and why it teaches nothing."""
    script = read_script(path)
    findings = lint_findings(script)
    if findings:
        raise ScriptError(str(path), [str(finding) for finding in findings])
    return script


@cache
def rewrites() -> Rewrites:
    """The packaged advice for closed questions (``prompts/rewrites.yaml``)."""
    return parse_rewrites(read_packaged_yaml(REWRITES), f"prompts/{REWRITES}")


def lint_findings(script: Script) -> list[LintFinding]:
    """The question lint of ``script`` with the offline classifier: instant and the same on every
    load, so a script that loads today loads tomorrow."""
    from adapters.question_model import TrainedQuestionClassifier

    classifier = TrainedQuestionClassifier()
    readings = {form.text: classifier.read(form.text, script.language) for form in question_forms(script)}
    return lint_script(script, readings, rewrites())


def parse_script_text(text: str, source: str) -> Script:
    """A script from YAML text (a file, a Slack snippet), structure checked but not yet linted."""
    return parse_script(_read_yaml(text, source), source)


def _checked(data: Any, source: str) -> Script:
    """Parse a script and apply the question lint: a script that would ask a closed question
    where it teaches nothing is not loaded at all."""
    script = parse_script(data, source)
    findings = lint_findings(script)
    if findings:
        raise ScriptError(source, [str(finding) for finding in findings])
    return script


# Files of channel-specific wording (``slack.en.yaml``): neither scripts nor core messages.
CHANNEL_WORDING = ("slack.",)
REWRITES = "rewrites.yaml"


def read_packaged_yaml(name: str) -> Any:
    """Parse the packaged YAML file ``name`` (for channels that keep wording here)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return _read_yaml(text, f"prompts/{name}")


def _packaged() -> list[tuple[str, str]]:
    folder = resources.files(__name__)
    return [
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    ]


def default_catalog(extra_scripts: list[Script] | None = None) -> Catalog:
    """Every script and message catalogue shipped in this package, plus ``extra_scripts``."""
    scripts: dict[str, Script] = {}
    messages: dict[str, Messages] = {}
    for name, text in sorted(_packaged()):
        source = f"prompts/{name}"
        if name.startswith(CHANNEL_WORDING) or name == REWRITES:
            continue  # a channel's own wording, loaded and validated by that channel
        if name.startswith("messages."):
            catalogue = parse_messages(_read_yaml(text, source), source)
            messages[catalogue.language] = catalogue
        else:
            script = _checked(_read_yaml(text, source), source)
            scripts[script.id] = script
    for script in extra_scripts or []:
        scripts[script.id] = script
    return Catalog(scripts=scripts, messages=messages)
