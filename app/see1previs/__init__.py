"""SEE-1 Previs: previsualization for the SEE-1 zero-gravity film studio module.

The package is layered (inner to outer): core, station, physics, cinema, export, render,
gui, session, cli. An inner layer never imports an outer one, and nothing below ``gui``
imports Qt.
"""

__version__ = "0.1.0"

import os as _os

# Offscreen rendering (storyboards, camera views) goes through MuJoCo's EGL backend, which
# needs no X server and runs on Mesa's software rasteriser where there is no GPU. MuJoCo
# reads this when it is first imported, so it is set here, before any layer imports it.
_os.environ.setdefault("MUJOCO_GL", "egl")
