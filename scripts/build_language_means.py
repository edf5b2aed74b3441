"""Build ``adapters/language_means.npz``: each language's mean multilingual-e5 direction.

multilingual-e5 puts every text of one language a little apart from the same text in another:
a shared, language-specific offset that makes an Arabic question's nearest English stories
partly a matter of language, not meaning. Subtracting each language's mean vector before
comparing removes most of it (ArBanking77 -> banking77 P@5 0.358 -> 0.392, docs/lang.md).

The means must come from the *same* content in every language, so that they differ by language
only, and from nothing we evaluate on: Django's own user-interface translations (its ``.po``
files, BSD licence) are that. Reproduce with::

    pip download --no-deps django==5.2.19 -d /tmp/django && cd /tmp/django && unzip -q django-*.whl
    .venv/bin/python scripts/build_language_means.py /tmp/django/django

Only messages whose English text has two words or more count; a language needs 150 of them.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.multilingual import E5Embedder
from core.languages import normalise_language

MIN_MESSAGES = 150
PER_LANGUAGE = 200
ENTRY = re.compile(r'\nmsgid "(.+)"\n(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? "(.+)"')
OUT = Path(__file__).resolve().parents[1] / "adapters" / "language_means.npz"


def translations(django: Path) -> dict[str, dict[str, str]]:
    """language -> {English message: translation}, from every .po file under ``django``."""
    found: dict[str, dict[str, str]] = {}
    for po in sorted(django.glob("**/locale/*/LC_MESSAGES/*.po")):
        language = normalise_language(po.parts[-3])
        for english, translated in ENTRY.findall(po.read_text(encoding="utf-8")):
            if len(english.split()) >= 2 and translated != english:
                found.setdefault(language, {})[english] = translated
    return found


def main(django: Path) -> None:
    by_language = {code: pairs for code, pairs in translations(django).items() if len(pairs) >= MIN_MESSAGES}
    model = E5Embedder()
    means: dict[str, np.ndarray] = {}
    english: set[str] = set()
    for code, pairs in sorted(by_language.items()):
        chosen = sorted(random.Random(code).sample(sorted(pairs), min(PER_LANGUAGE, len(pairs))))
        english.update(chosen)
        means[code] = model.encode([pairs[message] for message in chosen]).mean(axis=0)
        print(code, len(chosen), file=sys.stderr)
    means["en"] = model.encode(sorted(english)).mean(axis=0)
    OUT.write_bytes(b"")  # a failed run must not leave an old file looking current
    np.savez_compressed(OUT, **{code: vector.astype(np.float16) for code, vector in sorted(means.items())})
    print(f"{len(means)} languages -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
