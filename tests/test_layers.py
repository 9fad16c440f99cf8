"""The layer rule: inner layers never import outer ones, and nothing below the GUI needs Qt.

Two independent checks. The static one reads every module of ``core``, ``station`` and
``physics`` with :mod:`ast` and lists what each imports (including imports inside functions,
which a plain ``import`` test would miss until that code runs). The dynamic one imports every
module of those packages and bakes a scene in a fresh interpreter where the GUI toolkits
cannot be imported at all.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "app" / "see1previs"

GUI_TOOLKITS = ("PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "OpenGL")
LAYERS = (
    "core",
    "station",
    "physics",
    "cinema",
    "envelope",
    "export",
    "render",
    "gui",
    "session",
    "cli",
)
# Package-level leaf modules any layer may use (they import nothing from the package).
SHARED_LEAVES = ("see1previs", "see1previs.resources")
ALLOWED = {
    "core": {"core"},
    "station": {"core", "station"},
    "physics": {"core", "station", "physics"},
    "cinema": {"core", "station", "physics", "cinema"},
    "envelope": {"core", "station", "physics", "cinema", "envelope"},
    "export": {"core", "station", "physics", "cinema", "envelope", "export"},
    "render": {"core", "station", "physics", "cinema", "envelope", "render"},
    "session": {"core", "station", "physics", "cinema", "envelope", "export", "render", "session"},
    "gui": {
        "core",
        "station",
        "physics",
        "cinema",
        "envelope",
        "export",
        "render",
        "gui",
        "session",
    },
}
QT_LAYERS = {"gui"}  # the only layer that may import a GUI toolkit


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import statement in the file."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[tuple[int, str]]:
    """Imports of a module living in ``package``, relative ones made absolute."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from see1previs import physics` imports the physics package itself.
            if target == "see1previs":
                found.extend(
                    (node.lineno, f"see1previs.{a.name}") for a in node.names if a.name in LAYERS
                )
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "see1previs" or len(parts) < 2:
        return None
    name = parts[1]
    if name in LAYERS:
        return name
    return "cli" if name == "__main__" else None


def modules_of(layer: str) -> list[Path]:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no modules found in the {layer} layer"
    return files


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_inner_layers_import_only_inward(layer: str):
    violations = []
    for path in modules_of(layer):
        for line, module in imported_modules(path):
            where = f"{path.relative_to(REPO)}:{line} imports {module}"
            if module.split(".")[0] in GUI_TOOLKITS and layer not in QT_LAYERS:
                violations.append(f"{where} (a GUI toolkit)")
                continue
            if not module.startswith("see1previs"):
                continue
            if module in SHARED_LEAVES:
                continue
            target = layer_of(module)
            if target not in ALLOWED[layer]:
                violations.append(f"{where} (outside {sorted(ALLOWED[layer])})")
    assert not violations, "layer rule broken:\n" + "\n".join(violations)


def test_shared_leaf_modules_import_nothing_from_the_package():
    for name in SHARED_LEAVES[1:]:
        path = PACKAGE / (name.split(".", 1)[1] + ".py")
        inner = [m for _, m in imported_modules(path) if m.startswith("see1previs")]
        assert not inner, f"{name} must stay a leaf, imports {inner}"


def test_the_import_scanner_sees_relative_and_nested_imports():
    """The static check itself: a planted import of each kind is found."""
    source = (
        "from . import world\n"
        "from ..gui import window\n"
        "def later():\n"
        "    import PySide6.QtWidgets\n"
        "    from see1previs import cinema, __version__\n"
    )
    found = [module for _, module in imports_in(source, "see1previs.physics")]
    assert "see1previs.physics" in found
    assert "see1previs.gui" in found
    assert "PySide6.QtWidgets" in found
    assert "see1previs.cinema" in found
    assert "see1previs.__version__" not in found  # an attribute of the root, not a layer
    assert layer_of("see1previs.gui") == "gui"
    assert layer_of("see1previs.__main__") == "cli"


HEADLESS_SCRIPT = r"""
import importlib, importlib.abc, json, pkgutil, sys

BLOCKED = ("PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "OpenGL")

class NoGui(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked: this layer must not need a GUI toolkit")
        return None

sys.meta_path.insert(0, NoGui())
for name in BLOCKED:
    try:
        importlib.import_module(name)
    except ImportError:
        pass
    else:
        raise SystemExit(f"the blocker let {name} through")

imported = []
for layer in ("core", "station", "physics", "cinema", "envelope", "export", "render"):
    package = importlib.import_module(f"see1previs.{layer}")
    imported.append(package.__name__)
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
        importlib.import_module(info.name)
        imported.append(info.name)

from see1previs.core.scene import Scene
from see1previs.physics.simulation import simulate

scene = Scene.model_validate({
    "format": 2, "duration": 0.5, "frame_rate": 24, "environment": {"air_drag": False},
    "props": [{"id": "ball", "shape": {"type": "sphere", "radius": 0.1}, "mass": 1.0,
               "velocity": {"linear": [0.2, 0.0, 0.0]}}],
})
result = simulate(scene)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
outer = sorted(
    m for m in sys.modules
    if m.startswith("see1previs.") and m.split(".")[1] not in ("core", "station", "physics",
                                                               "cinema", "envelope", "export",
                                                               "render", "resources")
)
print(json.dumps({
    "imported": imported,
    "frames": result.trajectory.frame_count,
    "final_x": float(result.trajectory.positions[-1, 0, 0]),
    "leaked": leaked,
    "outer": outer,
}))
"""


def test_core_station_physics_work_without_any_gui_toolkit(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-c", HEADLESS_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**_environment(), "SEE1_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    headless = [layer for layer in ALLOWED if layer not in ("session", "gui")]
    expected = {module_name(p) for layer in headless for p in modules_of(layer)}
    assert expected <= set(report["imported"]), expected - set(report["imported"])
    assert report["frames"] == 13
    assert report["final_x"] == pytest.approx(0.1, abs=1e-6)  # 0.2 m/s for 0.5 s, no drag
    assert report["leaked"] == []
    assert report["outer"] == [], "inner layers pulled in an outer layer"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # The package must be importable from the child as it is here.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "app"), str(REPO), env.get("PYTHONPATH", "")) if p
    )
    return env
