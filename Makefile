# The two commands of the README: `make site` and `make test`. Everything else is a convenience.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: site site-public test test-adoption fuzz serve bench eval clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

site: $(STAMP)
	$(BIN)/pir build

site-public: $(STAMP)
	$(BIN)/pir build --audience public

serve: $(STAMP)
	$(BIN)/pir serve

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

# Installs the wheel into a fresh venv and adopts pir in a scratch archive (slow).
test-adoption: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m slow tests/test_adoption.py

# The long fuzzing profile (tens of thousands of mutated inputs; minutes, not seconds).
fuzz: $(TEST_STAMP)
	PIR_FUZZ_PROFILE=long $(BIN)/python -m pytest -q -m fuzz tests/test_fuzz_incidents.py tests/test_fuzz_inputs.py

bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py $(ARGS)

# How well `pir classify` reads severity from text: eval/corpus.yaml, scored by eval/run.py.
eval: $(STAMP)
	$(BIN)/python eval/run.py

clean:
	rm -rf site site-public docs/generated docs/generated-public .pir-cache
