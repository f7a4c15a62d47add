"""`python -m toolkit` runs the command-line interface."""

from __future__ import annotations

from toolkit.cli.app import main

main()
