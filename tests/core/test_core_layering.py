"""The core layer imports nothing above it and no GUI toolkit."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = (
    "PySide6",
    "pyqtgraph",
    "OpenGL",
    "mujoco",
    "trimesh",
    "see1previs.station",
    "see1previs.physics",
    "see1previs.cli",
)


def test_core_imports_stand_alone() -> None:
    code = (
        "import json, sys\n"
        "import see1previs.core.scenefile, see1previs.core.migrations, see1previs.core.timebase\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(result.stdout)
    leaked = [name for name in loaded if name.startswith(FORBIDDEN)]
    assert not leaked, f"core pulled in outer layers or heavy libraries: {leaked}"
