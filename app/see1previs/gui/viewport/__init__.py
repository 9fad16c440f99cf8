"""The 3D viewport: the SEE-1 cabin, bodies, cameras and trails, with picking and dragging.

:class:`SceneViewport` is the widget the main window embeds; docs/viewport.md lists its
mouse and keyboard controls.

OpenGL in one process has to agree on one platform layer. MuJoCo's offscreen renderer puts
PyOpenGL on EGL (``MUJOCO_GL=egl``, set by the package), so on X11 Qt must create its
OpenGL contexts through EGL as well, or every viewport draw call fails for want of a
current context. Qt reads this when the application object is created, so importing the
viewport before creating the QApplication is enough.
"""

import os

if os.environ.get("MUJOCO_GL", "").lower() == "egl":
    os.environ.setdefault("QT_XCB_GL_INTEGRATION", "xcb_egl")

from see1previs.gui.viewport.widget import SceneViewport

__all__ = ["SceneViewport"]
