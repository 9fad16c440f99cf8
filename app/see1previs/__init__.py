"""SEE-1 Previs: previsualization for the SEE-1 zero-gravity film studio module.

The package is layered (inner to outer): core, station, physics, cinema, export, render,
gui, session, cli. An inner layer never imports an outer one, and nothing below ``gui``
imports Qt.
"""

__version__ = "0.1.0"
