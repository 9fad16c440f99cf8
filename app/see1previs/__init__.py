"""SEE-1 Previs: previsualization for the SEE-1 zero-gravity film studio module.

The package is layered (inner to outer): core, station, physics, cinema, export, render,
gui, session, cli. An inner layer never imports an outer one, and nothing below ``gui``
imports Qt.
"""

__version__ = "0.1.0"

import os as _os
import sys as _sys

# Offscreen rendering (storyboards, camera views) goes through MuJoCo's EGL backend on Linux,
# which needs no X server and runs on Mesa's software rasteriser where there is no GPU.
# Windows and macOS have no EGL: MuJoCo's own default (GLFW / CGL) is right there. MuJoCo
# reads this when it is first imported, so it is set here, before any layer imports it.
if _sys.platform.startswith("linux"):
    _os.environ.setdefault("MUJOCO_GL", "egl")
