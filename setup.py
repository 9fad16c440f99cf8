"""Builds the native contact-force callback; everything else is declared in pyproject.toml.

The extension compiles against the headers shipped in the installed ``mujoco`` wheel and is
optional: without a C compiler the package still installs and the physics uses the Python
reference implementation of the same forces (``see1previs.physics.contact_forces``).
"""

from pathlib import Path

import mujoco
from setuptools import Extension, setup

MUJOCO_INCLUDE = Path(mujoco.__file__).resolve().parent / "include"

setup(
    ext_modules=[
        Extension(
            "see1previs.physics._contact_forces",
            sources=["app/see1previs/physics/native/contact_forces.c"],
            include_dirs=[str(MUJOCO_INCLUDE)],
            optional=True,
        )
    ]
)
