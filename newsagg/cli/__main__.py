"""``python -m newsagg.cli`` runs the CLI (what tests use to drive it in a subprocess)."""

from newsagg.cli import main

main()
