"""The frozen application's entry point: ``see1-previs`` inside an installed bundle.

PyInstaller runs this file as ``__main__``; it hands over to the same ``main`` the
``see1-previs`` console script calls, so the bundle and a source install behave alike.

MuJoCo's offscreen renderer is chosen by ``MUJOCO_GL`` when MuJoCo is first imported. The
package asks for EGL, which Linux has; Windows and macOS have none, so their bundles ask for
MuJoCo's renderer there first (a hidden GLFW window, CGL). A value the user set still wins.
"""

import os
import sys

if sys.platform.startswith("win"):
    os.environ.setdefault("MUJOCO_GL", "glfw")
elif sys.platform == "darwin":
    os.environ.setdefault("MUJOCO_GL", "cgl")

from see1previs.cli import main  # after MUJOCO_GL is settled

if __name__ == "__main__":
    sys.exit(main())
