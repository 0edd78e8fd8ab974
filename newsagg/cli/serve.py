"""``newsagg serve``: the local web app and JSON API over the store (see :mod:`newsagg.serve`)."""

from __future__ import annotations

from typing import Annotated

import typer

from newsagg.cli.options import ExitCode, HomeOption, fail, home_settings
from newsagg.cli.output import err_console


def serve(
    home: HomeOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; any non-loopback address needs NEWSAGG_SERVE_TOKEN.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8750,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Search, stories, regional angles and sources in the browser, and the same as a JSON API (read-only)."""
    from rich.markup import escape

    from newsagg.serve.config import ServeConfig, ServeConfigError
    from newsagg.serve.server import serve as run

    try:
        config = ServeConfig.from_config(home_settings(home), host=host, port=port)
    except ServeConfigError as exc:
        raise fail(str(exc), ExitCode.usage) from exc
    shown = f"[{host}]" if ":" in host else host
    err_console.print(
        escape(
            f"newsagg serve: http://{shown}:{port}/ ({config.backend} store, read-only"
            f"{', token required' if config.token else ''})"
        )
    )
    run(config, log_level=log_level)
