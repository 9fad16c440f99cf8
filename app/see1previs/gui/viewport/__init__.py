"""The 3D viewport: the SEE-1 cabin, bodies, cameras and trails, with picking and dragging.

:class:`SceneViewport` is the widget the main window embeds; docs/viewport.md lists its
mouse and keyboard controls.

OpenGL in one process has to agree on one platform layer. MuJoCo's offscreen renderer needs
PyOpenGL on EGL (``MUJOCO_GL=egl``, set by the package), so PyOpenGL is put on EGL before
anything imports it, and on X11 Qt creates its OpenGL contexts through EGL as well —
otherwise every viewport draw call fails for want of a current context. Qt reads its
setting when the application object is created: import the viewport before creating the
QApplication.

pyqtgraph compiles each shader once per process, so every OpenGL widget must share one
context group (``Qt.AA_ShareOpenGLContexts``, also set here before the application exists);
otherwise a second viewport, or a viewport re-created after a dock is closed, draws nothing.
"""

import os
import sys


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


def _share_contexts() -> None:
    from PySide6.QtCore import QCoreApplication, Qt

    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts, True)


_agree_on_egl()
_share_contexts()

from see1previs.gui.viewport.widget import SceneViewport  # noqa: E402

__all__ = ["SceneViewport"]
