"""MuJoCo's warnings go to Python logging, not to a ``MUJOCO_LOG.TXT`` in the working folder.

Left alone, MuJoCo appends every warning ("Nan, Inf or huge value in QVEL ...") to a file
named MUJOCO_LOG.TXT in whatever folder the app was started from, and prints it to stdout.
A desktop app must not litter the user's folders, so the warnings are routed to the
``see1previs.mujoco`` logger instead. The bake does not depend on this text: it reads the
warning counters in ``MjData`` to detect a blow-up.
"""

from __future__ import annotations

import logging

import mujoco

LOGGER = logging.getLogger("see1previs.mujoco")


def _log_warning(message: str) -> None:
    LOGGER.warning("MuJoCo: %s", message.strip())


def route_engine_warnings() -> None:
    """Send MuJoCo's warnings to the ``see1previs.mujoco`` logger (idempotent)."""
    mujoco.set_mju_user_warning(_log_warning)
