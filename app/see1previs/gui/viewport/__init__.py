"""The 3D viewport: the SEE-1 cabin, bodies, cameras and trails, with picking and dragging.

:class:`SceneViewport` is the widget the main window embeds; docs/viewport.md lists its
mouse and keyboard controls. Importing this package applies the OpenGL settings of
:mod:`see1previs.gui.viewport.opengl_setup`, which must happen before the QApplication is
created; the widget itself (pyqtgraph, PyOpenGL) is only imported when first asked for.
"""

from see1previs.gui.viewport.opengl_setup import prepare_opengl

prepare_opengl()

__all__ = ["SceneViewport"]


def __getattr__(name: str):
    if name == "SceneViewport":
        from see1previs.gui.viewport.widget import SceneViewport

        return SceneViewport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
