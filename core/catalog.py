"""The loaded scripts and message catalogues, and the engine for a given interview."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.engine import InterviewEngine
from core.errors import NotFound
from core.messages import Messages
from core.script import Script


@dataclass
class Catalog:
    """Scripts by id and message catalogues by language; ``default_script`` is used when an
    interview names none. Engines are built once per (script, language)."""

    scripts: dict[str, Script]
    messages: dict[str, Messages]
    default_script: str = "discovery.en"
    default_language: str = "en"
    _engines: dict[tuple[str, str], InterviewEngine] = field(default_factory=dict, repr=False)

    def messages_for(self, language: str) -> Messages:
        """The catalogue of ``language`` (or its base, ``pt`` for ``pt-BR``), else the default."""
        for candidate in (language, language.split("-")[0].lower(), self.default_language):
            if candidate in self.messages:
                return self.messages[candidate]
        return next(iter(self.messages.values()))

    def script(self, script_id: str | None) -> Script:
        """The script with this id (the default when ``None``); :class:`NotFound` otherwise."""
        key = script_id or self.default_script
        try:
            return self.scripts[key]
        except KeyError:
            known = ", ".join(sorted(self.scripts)) or "none"
            raise NotFound(f"no interview script '{key}' (known: {known})") from None

    def script_for_language(self, language: str | None) -> Script:
        """The default script translated to ``language`` when one exists, else the default."""
        default = self.script(None)
        if language:
            base = language.split("-")[0].lower()
            stem = default.id.rsplit(".", 1)[0]
            for script in self.scripts.values():
                if script.id == f"{stem}.{base}":
                    return script
        return default

    def engine(self, script_id: str) -> InterviewEngine:
        script = self.script(script_id)
        key = (script.id, script.language)
        if key not in self._engines:
            self._engines[key] = InterviewEngine(
                script,
                self.messages_for(script.language),
                lambda language: self.translation(script, language),
            )
        return self._engines[key]

    def translation(self, script: Script, language: str) -> InterviewEngine | None:
        """The engine of ``script``'s family (``discovery.*``) in ``language``: a script with the
        same questions in the same order, and wording in that language; ``None`` if there is none."""
        base = language.split("-")[0].lower()
        stem = script.id.rsplit(".", 1)[0]
        other = self.scripts.get(f"{stem}.{base}")
        if other is None or other.id == script.id or other.language != base or base not in self.messages:
            return None
        if [q.id for _, q in other.questions()] != [q.id for _, q in script.questions()]:
            return None
        return self.engine(other.id)
