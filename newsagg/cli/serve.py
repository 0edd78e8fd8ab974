"""``newsagg serve``: the local web app and JSON API over the store (see :mod:`newsagg.serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsagg.cli.output import err_console


def serve(
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", help="Data directory (default: $NEWSAGG_HOME or the per-user data dir).", envvar="NEWSAGG_HOME"
        ),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; any non-loopback address needs NEWSAGG_SERVE_TOKEN.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8750,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Search, stories, regional angles and sources in the browser, and the same as a JSON API (read-only)."""
    from rich.markup import escape

    from newsagg.crawl import build_settings
    from newsagg.secrets import redact
    from newsagg.serve.config import ServeConfig, ServeConfigError
    from newsagg.serve.server import serve as run

    settings = build_settings({"NEWSAGG_HOME": str(home) if home else None})
    try:
        config = ServeConfig.from_env(
            home=settings.get("NEWSAGG_HOME"),
            host=host,
            port=port,
            backend=settings.get("NEWSAGG_BACKEND", "sqlite"),
            env=settings,
        )
    except ServeConfigError as exc:
        err_console.print(f"[bold red]error:[/] {escape(redact(str(exc)))}")
        raise typer.Exit(2) from exc
    shown = f"[{host}]" if ":" in host else host
    err_console.print(
        f"newsagg serve: http://{shown}:{port}/ ({config.backend} store, read-only"
        f"{', token required' if config.token else ''})"
    )
    run(config, log_level=log_level)
