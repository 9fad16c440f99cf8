"""Entry point for ``python -m see1previs``."""

import sys

from see1previs.cli import main

if __name__ == "__main__":
    sys.exit(main())
