"""`python -m plankg.cli` runs the command line."""

from plankg.cli.main import main

main()
