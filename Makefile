# SEE-1 Previs developer commands. `make run` and `make test` are the whole quick start.

# Every install comes from requirements.lock (exact versions, sha256 hashes): a new machine
# gets the versions the suite passed with. pyproject.toml keeps ranges for people installing
# the package; `make lock` refreshes the lock from them on purpose, `make test-latest` tries
# the newest releases the ranges allow in a separate environment.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock
# The native contact-force library is part of the install: its source keys the stamp too.
NATIVE := $(wildcard app/see1previs/physics/native/*.c)
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml setup.py $(LOCK) $(NATIVE) | cksum | cut -d' ' -f1)
DEMO   := scenes/zero-g-breakfast.see1.json
# Test processes: both cores by default; PYTEST_WORKERS=0 runs the suite in one process.
PYTEST_WORKERS ?= auto

.PHONY: run test lint bench assets system-deps package lock test-latest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { packaging/install-system-deps.sh venv && $(PYTHON) -m venv $(VENV); }

# Locked dependencies first (hash-checked, nothing resolved), then the app itself without
# build isolation, so its build tools are the locked ones too.
$(STAMP): $(BIN)/python pyproject.toml setup.py $(LOCK) $(NATIVE)
	packaging/install-system-deps.sh build
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	rm -f $(VENV)/.installed-* && touch $@

## run: create .venv, install the app and open the desktop app on the demo scene
run: $(STAMP)
	$(BIN)/see1-previs open $(DEMO)

## system-deps: Debian packages for a virtual display and software OpenGL (needs root)
system-deps:
	packaging/install-system-deps.sh test

## test: lint, then the whole suite under a virtual display
test: system-deps $(STAMP) lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

## lint: ruff linter and formatter check
lint: $(STAMP)
	$(BIN)/ruff check app tests benchmarks docs tools
	$(BIN)/ruff format --check app tests benchmarks docs tools

## bench: benchmark scripts that print figures
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_bake.py
	$(BIN)/python benchmarks/bench_actors.py
	$(BIN)/python benchmarks/bench_export.py
	$(BIN)/python benchmarks/bench_viewport.py
	xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python benchmarks/bench_gui.py
	$(BIN)/python benchmarks/bench_previs_movies.py
	$(BIN)/python benchmarks/bench_fuzz_loader.py --documents 10000
	$(BIN)/python benchmarks/bench_kill9.py
	$(BIN)/python benchmarks/bench_containment.py --launches 10000
	$(BIN)/python benchmarks/bench_envelope.py --samples 40

## assets: regenerate the SEE-1 interior, prop meshes, demo scenes and generated docs
assets: $(STAMP)
	$(BIN)/python -m see1previs.station.see1 --out assets/stations --docs docs/station.md
	$(BIN)/python -m see1previs.prop_meshes --out assets/props
	$(BIN)/python benchmarks/make_stress_scene.py
	$(BIN)/python benchmarks/make_breakfast_scene.py
	$(BIN)/python docs/gen_scene_format.py

## package: Linux installers in dist/ (a .tar.gz of the self-contained bundle and a .deb)
package: $(STAMP)
	packaging/install-system-deps.sh package
	$(BIN)/python packaging/build_linux.py --out dist --work build/package

## lock: re-resolve requirements.lock from pyproject.toml's ranges (newest allowed releases)
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(BIN)/python -m uv pip compile pyproject.toml --extra test --extra package --universal \
		--python-version 3.11 --generate-hashes --no-header --index-url https://pypi.org/simple \
		--output-file $(LOCK)

## test-latest: the suite against the newest releases pyproject.toml allows (not the lock)
test-latest: system-deps
	rm -rf .venv-latest && $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet -e '.[test,package]'
	.venv-latest/bin/python -m pytest -n $(PYTEST_WORKERS)

clean:
	rm -rf $(VENV) .venv-latest .pytest_cache .ruff_cache build dist app/*.egg-info .cache
