"""Running the app under uvicorn (the CLI's ``newsagg serve``, the tests and the bench use this)."""

from __future__ import annotations

from newsagg.secrets import install_log_redaction
from newsagg.serve.app import create_app
from newsagg.serve.config import ServeConfig


def serve(config: ServeConfig, *, log_level: str = "info") -> None:
    """Serve until interrupted (Ctrl-C / SIGTERM)."""
    import uvicorn

    install_log_redaction()
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level=log_level,
        server_header=False,
        proxy_headers=False,
    )
