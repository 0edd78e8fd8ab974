"""The ``newsagg`` command line: one module per command group, registered in :mod:`newsagg.cli.app`.

Shared options, choice enums, exit codes and ``fail`` live in :mod:`newsagg.cli.options`; every listing is
printed through :mod:`newsagg.cli.output`.
"""

from newsagg.cli.app import app, main

__all__ = ["app", "main"]
