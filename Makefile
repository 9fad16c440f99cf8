# SEE-1 Previs developer commands. `make run` and `make test` are the whole quick start.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO   := scenes/zero-g-breakfast.see1.json

.PHONY: run test lint bench assets system-deps package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { packaging/install-system-deps.sh venv && $(PYTHON) -m venv $(VENV); }

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,package]'
	rm -f $(VENV)/.installed-* && touch $@

## run: create .venv, install the app and open the desktop app on the demo scene
run: $(STAMP)
	$(BIN)/see1-previs open $(DEMO)

## system-deps: Debian packages for a virtual display and software OpenGL (needs root)
system-deps:
	packaging/install-system-deps.sh test

## test: lint, then the whole suite under a virtual display
test: system-deps $(STAMP) lint
	$(BIN)/python -m pytest

## lint: ruff linter and formatter check
lint: $(STAMP)
	$(BIN)/ruff check app tests benchmarks docs
	$(BIN)/ruff format --check app tests benchmarks docs

## bench: benchmark scripts that print figures
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_bake.py
	$(BIN)/python benchmarks/bench_actors.py
	$(BIN)/python benchmarks/bench_export.py
	$(BIN)/python benchmarks/bench_viewport.py
	xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python benchmarks/bench_gui.py

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

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist app/*.egg-info .cache
