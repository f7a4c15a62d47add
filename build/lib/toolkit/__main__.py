"""`python -m toolkit` runs the command-line interface."""

from __future__ import annotations

from toolkit.cli import main

main()
