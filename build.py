#!/usr/bin/env python3
"""Entry point: ``python build.py [build|check] [--data DIR] [--out DIR]`` (see annuaire360/cli.py)."""

import sys

from annuaire360.cli import main

if __name__ == "__main__":
    sys.exit(main())
