"""``python -m analysis``: the ``giaoban`` command line."""

from analysis.cli import main

main()
