"""The frozen application's entry point: ``see1-previs`` inside an installed bundle.

PyInstaller runs this file as ``__main__``; it hands over to the same ``main`` the
``see1-previs`` console script calls, so the bundle and a source install behave alike.
"""

import sys

from see1previs.cli import main

if __name__ == "__main__":
    sys.exit(main())
