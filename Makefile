# Every target makes .venv itself on a fresh machine and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= figures
# make test installs PyTorch to compare gradients with it; `make test TEST_EXTRAS=viz,test,tutorials`
# leaves it out (the PyTorch comparisons then skip).
TEST_EXTRAS ?= viz,test,tutorials,torch

.PHONY: test demo bench tutorials lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install when setup.cfg changes.
$(VENV)/.test-installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[$(TEST_EXTRAS)]"
	touch $@

$(VENV)/.demo-installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[viz]"
	touch $@

$(VENV)/.bench-installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[viz,bench]"
	touch $@

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

demo: $(VENV)/.demo-installed
	$(BIN)/python -m viz xor --fit slide --out $(OUT)

bench: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks

tutorials: $(VENV)/.test-installed
	$(BIN)/python -m tutorials.build --html tutorials/_build

clean:
	rm -rf $(VENV) $(OUT) tutorials/_build .pytest_cache .ruff_cache
