"""The core stays pure: no platform SDK, database driver, vector store, model runtime or HTTP client."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"

# Top-level packages the core must never import, directly or through anything it imports.
FORBIDDEN = frozenset(
    {
        "adapters",
        "bot",
        "slack_bolt",
        "slack_sdk",
        "telegram",
        "chromadb",
        "sqlite3",
        "aiosqlite",
        "psycopg",
        "asyncpg",
        "sqlalchemy",
        "alembic",
        "langchain_chroma",
        "onnxruntime",
        "tokenizers",
        "numpy",
        "aiohttp",
        "httpx",
        "faster_whisper",
        "ctranslate2",
        "av",
    }
)

CORE_FILES = sorted(CORE.glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name imported anywhere in ``path`` (also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def test_the_core_has_modules_to_check() -> None:
    names = {path.stem for path in CORE_FILES}
    assert {"engine", "service", "stories", "script", "lint", "probing"} <= names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_no_core_module_imports_a_forbidden_package(path: Path) -> None:
    tops = {name.split(".")[0] for name in imported_modules(path)}
    assert tops.isdisjoint(FORBIDDEN), f"{path.name} imports {sorted(tops & FORBIDDEN)}"


def test_the_import_scanner_sees_nested_and_dynamic_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "def later():\n"
        "    import chromadb.api\n"
        "    from adapters import console\n"
        "    importlib.import_module('numpy')\n",
        encoding="utf-8",
    )
    assert {"os", "chromadb.api", "adapters", "numpy"} <= imported_modules(sample)


def test_importing_the_service_loads_no_forbidden_module() -> None:
    program = (
        "import json, sys\n"
        "import core.service, core.stories, core.engine, core.lint, core.probing, core.redact\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = {name.split(".")[0] for name in json.loads(result.stdout)}
    assert "core" in loaded
    assert loaded.isdisjoint(FORBIDDEN), sorted(loaded & FORBIDDEN)
