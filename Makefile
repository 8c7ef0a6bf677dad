# plankg — the two commands of the README's Quick start:
#   make run    set everything up, load the bundled 5G Sailing plan, answer a sample query, start the service
#   make test   set everything up (Python deps, Neo4j dev server build, Chromium, npm packages) and run every test
#   make fuzz   the long schemathesis run over the whole API (tests/fuzz; its own CI step)
.PHONY: run test fuzz setup setup-test lint clean

VENV ?= .venv
PY := $(VENV)/bin/python
PLANKG := $(VENV)/bin/plankg

setup:
	./tools/setup

setup-test:
	./tools/setup --test

HOST ?= 127.0.0.1
PORT ?= 8000

run: setup
	$(PLANKG) load
	$(PLANKG) query standards_for_industry --industry industry.healthcare
	$(PLANKG) serve --host $(HOST) --port $(PORT)

test: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	./tools/typecheck
	./tools/run-tests

fuzz: setup-test
	$(PY) -m pytest -m fuzz tests/fuzz  # memory store only: no Neo4j needed

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	./tools/typecheck

clean:
	-./tools/neo4j-server stop
	rm -rf $(VENV) build *.egg-info .pytest_cache test-artifacts
