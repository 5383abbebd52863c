# Two commands for a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= reckon.duckdb

.PHONY: demo test test-fast lint bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Install into .venv, import every bundled list snapshot, show what was loaded, screen a name,
## resolve records across lists, show one entity's status per jurisdiction and the listed entities
## the lists relate it to (reckon exposure), write a gap table,
## the overlap of jurisdictions as a chart and one entity's dossier (HTML and PDF) to demo-out/,
## the listed people a real Kremlin transcript names (reckon annotate) to demo-out/annotated.html,
## then serve the web app and the API at http://127.0.0.1:8000 until Ctrl-C.
## `make demo SERVE=check` (CI) starts the server, checks that it answers, and stops it.
SERVE ?=
demo: install
	mkdir -p demo-out
	$(BIN)/reckon ingest --bundled --db $(DB)
	$(BIN)/reckon lists --db $(DB)
	$(BIN)/reckon show gb_hmt_sanctions:14212 --db $(DB)
	$(BIN)/reckon changes us_ofac_sdn --since 2022-02-24 --until 2022-02-26 --db $(DB)
	$(BIN)/reckon screen "Абрамович Роман" --db $(DB)
	$(BIN)/reckon resolve --db $(DB)
	$(BIN)/reckon clusters --min-size 6 --db $(DB)
	$(BIN)/reckon status gb_hmt_sanctions:14212 --db $(DB)
	$(BIN)/reckon exposure us_ofac_sdn:20283 --db $(DB)
	$(BIN)/reckon gaps --listed-in gb,au --not-listed-in us --theme russia_ukraine --measure targeted \
		--schema Person --format csv -o gaps-gb-au-not-us.csv --db $(DB)
	$(BIN)/reckon coverage --theme russia_ukraine --measure targeted --schema Person \
		--chart demo-out/coverage.svg --db $(DB)
	$(BIN)/reckon dossier gb_hmt_sanctions:14212 -o demo-out/dossier-abramovich.html \
		-o demo-out/dossier-abramovich.pdf --db $(DB)
	$(BIN)/reckon annotate data/texts/kremlin_manturov_chemezov.txt --format html \
		-o demo-out/annotated.html --db $(DB)
	$(BIN)/reckon serve $(if $(filter check,$(SERVE)),--check) --db $(DB)

## The whole test suite: unit and integration tests over the real list files.
test: install-dev
	$(BIN)/python -m pytest -q -n 2

## Only the fast unit tests.
test-fast: install-dev
	$(BIN)/python -m pytest -q -n 2 -m "not integration"

lint: install-dev
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

## Benchmarks; results go to docs/benchmarks.md. The peers (nomenklatura, splink) get their own venv.
.venv-peer/bin/python:
	$(PYTHON) -m venv .venv-peer
	.venv-peer/bin/python -m pip install --quiet --upgrade pip

# Re-installed when the `peer` extra changes (splink joined nomenklatura there).
.venv-peer/.installed: pyproject.toml | .venv-peer/bin/python
	.venv-peer/bin/python -m pip install --quiet -e ".[peer]"
	touch $@

bench: install-dev .venv-peer/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python -m bench --write-docs

clean:
	rm -rf $(VENV) .venv-peer $(DB) $(DB).wal demo-out .pytest_cache .mypy_cache .ruff_cache
