# The two commands a user needs: `make build` and `make test`. Everything else is optional.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
CUSTSEG := $(BIN)/python -m custseg
DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir .

# Demo scale; override e.g. `make build CONTACTS=100000`.
CONTACTS ?= 20000
SEED ?= 42
SCALE := --contacts $(CONTACTS) --seed $(SEED)

export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help build test setup data lint dbt-build pytest docs clean test-postgres setup-postgres bench-postgres \
	test-spark setup-spark bench

help:
	@echo "make build   set up .venv, generate + load demo data, dbt build, print a summary"
	@echo "make test    set up if needed, then sqlfluff lint, dbt build (data + unit tests), pytest"
	@echo "make lint    sqlfluff lint only;  make docs    dbt docs generate;  make clean"

$(STAMP): pyproject.toml requirements.lock
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $@

setup: $(STAMP)

data: setup
	$(CUSTSEG) prepare $(SCALE)

build: setup
	$(CUSTSEG) build $(SCALE)

lint: setup
	$(BIN)/sqlfluff lint models tests/singular analyses

# The demo data loaded (unless already there), then dbt build: with --full-refresh when the raw
# tables were replaced (a new scale), incrementally otherwise; published when every test passed.
dbt-build: setup
	$(CUSTSEG) build $(SCALE)

pytest: setup
	$(BIN)/pytest

test: lint dbt-build pytest

# ---- PostgreSQL: a private server on 127.0.0.1 (scripts/postgres.sh), the same models and tests,
# then a table-by-table comparison with DuckDB on the same data. The engine gets the data in two
# loads (all but the last day, then the last day) and builds after each, so the comparison with
# DuckDB's one full build also proves the incremental models on the engine.
ENGINE_CONTACTS ?= 2000
ENGINE_SPLIT_AT ?= 2026-10-31
FIRST_LOAD := --part before --split-at $(ENGINE_SPLIT_AT) --loaded-at "$(ENGINE_SPLIT_AT) 00:00"
DAILY_LOAD := --part after --split-at $(ENGINE_SPLIT_AT) --loaded-at "$(ENGINE_SPLIT_AT) 23:59"
PG_PORT ?= 55432
PG_ENV := SEGMENTATION_TARGET=postgres SEGMENTATION_PG_PORT=$(PG_PORT) SEGMENTATION_PG_HOST=127.0.0.1 \
	SEGMENTATION_PG_USER=postgres SEGMENTATION_PG_DATABASE=segmentation DBT_TARGET_PATH=target/postgres

$(VENV)/.postgres-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[postgres]"
	touch $@

setup-postgres: $(VENV)/.postgres-installed

test-postgres: setup-postgres
	SEGMENTATION_PG_PORT=$(PG_PORT) scripts/postgres.sh stop
	rm -rf .build/postgres
	SEGMENTATION_PG_PORT=$(PG_PORT) scripts/postgres.sh start
	trap 'SEGMENTATION_PG_PORT=$(PG_PORT) scripts/postgres.sh stop' EXIT; \
	$(PG_ENV) $(CUSTSEG) prepare --contacts $(ENGINE_CONTACTS) --seed $(SEED) $(FIRST_LOAD) && \
	$(PG_ENV) $(DBT) build $(DBT_FLAGS) && \
	$(PG_ENV) $(CUSTSEG) prepare --contacts $(ENGINE_CONTACTS) --seed $(SEED) $(DAILY_LOAD) && \
	$(PG_ENV) $(DBT) build $(DBT_FLAGS) && \
	$(PG_ENV) SEGMENTATION_ENGINE_UNDER_TEST=postgres SEGMENTATION_ENGINE_CONTACTS=$(ENGINE_CONTACTS) \
		SEGMENTATION_ENGINE_SPLIT_AT=$(ENGINE_SPLIT_AT) $(BIN)/pytest tests/python/test_engines.py

# ---- PostgreSQL bench (not run by CI): full build and daily run on a private server with memory
# for analytic queries; numbers printed, never asserted (custseg/bench_engine.py).
BENCH_PG_CONTACTS ?= 20000
BENCH_PG_OPTIONS := -c shared_buffers=4GB -c work_mem=256MB -c maintenance_work_mem=1GB \
	-c effective_cache_size=12GB -c max_parallel_workers_per_gather=2

bench-postgres: setup-postgres
	SEGMENTATION_PG_PORT=$(PG_PORT) scripts/postgres.sh stop
	rm -rf .build/postgres
	SEGMENTATION_PG_PORT=$(PG_PORT) SEGMENTATION_PG_SERVER_OPTIONS="$(BENCH_PG_OPTIONS)" \
		scripts/postgres.sh start
	trap 'SEGMENTATION_PG_PORT=$(PG_PORT) scripts/postgres.sh stop' EXIT; \
	$(PG_ENV) $(BIN)/python -m custseg.bench_engine --contacts $(BENCH_PG_CONTACTS)

# ---- Spark: a local session (dbt-spark's session method, pyspark, Java 17), warehouse and
# metastore under .build/spark; the same models and tests, then the comparison with DuckDB.
SPARK_ENV := SEGMENTATION_TARGET=spark SEGMENTATION_SPARK_DIR=$(CURDIR)/.build/spark \
	DBT_TARGET_PATH=target/spark

$(VENV)/.spark-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[spark]"
	touch $@

setup-spark: $(VENV)/.spark-installed

test-spark: setup-spark
	rm -rf .build/spark
	$(SPARK_ENV) $(CUSTSEG) prepare --contacts $(ENGINE_CONTACTS) --seed $(SEED) $(FIRST_LOAD)
	$(SPARK_ENV) $(DBT) build $(DBT_FLAGS)
	$(SPARK_ENV) $(CUSTSEG) prepare --contacts $(ENGINE_CONTACTS) --seed $(SEED) $(DAILY_LOAD)
	$(SPARK_ENV) $(DBT) build $(DBT_FLAGS)
	$(SPARK_ENV) SEGMENTATION_ENGINE_UNDER_TEST=spark SEGMENTATION_ENGINE_CONTACTS=$(ENGINE_CONTACTS) \
		SEGMENTATION_ENGINE_SPLIT_AT=$(ENGINE_SPLIT_AT) $(BIN)/pytest tests/python/test_engines.py

# ---- Benchmarks (not run by CI): numbers printed, never asserted. BENCH_SCALES="20000,1000000";
# BENCH_ARGS=--build-only measures the full build alone (the 5 M scale).
BENCH_SCALES ?= 20000
BENCH_ARGS ?=

bench: setup
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[bench]"
	$(CUSTSEG) bench --scales $(BENCH_SCALES) $(BENCH_ARGS)

docs: setup
	$(DBT) docs generate $(DBT_FLAGS)

clean:
	rm -rf target logs dbt_packages data
