"""The desktop app (PySide6): main window, docks, item models over the session, workers.

Qt lives here and only here. Widgets display the :class:`~see1previs.session.session.Session`
and turn what the director does into session calls (edits are undoable commands in the
core); long work (baking, shot analysis, camera-monitor frames, exports) runs in worker
threads so the window keeps repainting.
"""

# OpenGL settings Qt only honours before the QApplication exists (see the viewport package).
from see1previs.gui.viewport.opengl_setup import prepare_opengl

prepare_opengl()
