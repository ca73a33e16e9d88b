"""``python -m powcase`` runs the command line."""

from powcase.cli import main

main()
