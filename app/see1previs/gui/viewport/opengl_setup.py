"""The OpenGL settings the viewport needs, which Qt only honours before the QApplication exists.

OpenGL in one process has to agree on one platform layer. MuJoCo's offscreen renderer needs
PyOpenGL on EGL (``MUJOCO_GL=egl``, set by the package), so PyOpenGL is put on EGL before
anything imports it, and on X11 Qt creates its OpenGL contexts through EGL as well —
otherwise every viewport draw call fails for want of a current context.

pyqtgraph compiles each shader once per process, so every OpenGL widget must share one
context group (``Qt.AA_ShareOpenGLContexts``); otherwise a second viewport, or one re-created
after a dock is closed, draws nothing.

:func:`prepare_opengl` does both. It is cheap and idempotent; call it (or import the GUI
package, which does) before creating the QApplication.
"""

from __future__ import annotations

import os
import sys

_prepared_before_app: bool | None = None


def prepare_opengl() -> None:
    """Agree on EGL with MuJoCo and share OpenGL contexts, if the application is not made yet."""
    global _prepared_before_app
    from PySide6.QtCore import QCoreApplication, Qt

    app_exists = QCoreApplication.instance() is not None
    if _prepared_before_app is None:
        _prepared_before_app = not app_exists
    if app_exists:
        return
    _agree_on_egl()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts, True)


def late_setup_warning() -> str | None:
    """A message for the log when the QApplication was made before :func:`prepare_opengl`."""
    if _prepared_before_app:
        return None
    return (
        "the QApplication was created before the viewport's OpenGL settings were applied; "
        "import see1previs.gui before creating it, or the 3D view may stay empty"
    )


def _agree_on_egl() -> None:
    if os.environ.get("MUJOCO_GL", "").lower() != "egl":
        return
    platform = sys.modules.get("OpenGL.platform")
    if platform is None:
        os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
        on_egl = os.environ["PYOPENGL_PLATFORM"].lower() == "egl"
    else:  # PyOpenGL is already bound: Qt has to follow whatever it chose
        on_egl = "egl" in type(getattr(platform, "PLATFORM", None)).__name__.lower()
    if on_egl:
        os.environ.setdefault("QT_XCB_GL_INTEGRATION", "xcb_egl")
