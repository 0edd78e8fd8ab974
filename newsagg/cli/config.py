"""``newsagg config show``: every setting's effective value and where it came from; and the one way commands
build their configuration (:func:`effective_config`)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from newsagg.cli.output import console, err_console
from newsagg.config import Config, ConfigError, load_config
from newsagg.secrets import MASK, redact
from newsagg.settings_schema import SETTINGS

config_app = typer.Typer(help="The configuration: every NEWSAGG_* setting, its value and its source.")


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


def effective_config(home: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """The configuration a command runs with: defaults ← settings file ← environment ← ``--home``/``--set``.
    A bad setting is a usage error (exit code 2) naming it."""
    given = dict(overrides or {})
    if home:
        given["NEWSAGG_HOME"] = str(home)
    try:
        return load_config(given)
    except ConfigError as exc:
        err_console.print(f"[bold red]error:[/] {escape(redact(str(exc)))}")
        raise typer.Exit(2) from exc


def parse_set_options(items: list[str] | None) -> dict[str, str]:
    """``--set KEY=VALUE`` options as a mapping (a malformed one is a usage error)."""
    chosen: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            err_console.print(f"[bold red]error:[/] --set expects KEY=VALUE, got {escape(redact(item))!r}")
            raise typer.Exit(2)
        chosen[key.strip()] = value
    return chosen


def shown_rows(config: Config) -> list[dict[str, Any]]:
    """One row per declared setting; credentials (and a password in a URL) masked."""
    rows = []
    for name, setting in SETTINGS.items():
        if setting.secret:
            value: Any = MASK if name in config.environ_secrets or name + "_FILE" in config.environ_secrets else None
        elif setting.env_only:
            value = config.environ_secrets.get(name)
        else:
            value = config[name]
            if isinstance(value, str):
                value = redact(value)
        rows.append(
            {
                "name": name,
                "value": value,
                "source": config.sources[name],
                "default": None if setting.secret else setting.default,
                "type": setting.kind.__name__,
                "concern": setting.concern,
                "secret": setting.secret,
                "doc": setting.doc,
            }
        )
    return rows


@config_app.command("show")
def show(
    setting: Annotated[
        list[str] | None, typer.Option("--set", help="Apply this setting KEY=VALUE (as commands do) before showing.")
    ] = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table for people; json for machines.")] = (
        ShowFormat.table
    ),
) -> None:
    """Print every NEWSAGG_* setting: effective value, source (default/file/env/--set), default and meaning.

    Credentials are shown as ***. Precedence: default < settings file (NEWSAGG_CONFIG) < environment < --set.
    """
    config = effective_config(overrides=parse_set_options(setting))
    rows = shown_rows(config)
    if fmt == ShowFormat.json:
        payload = {"settings": rows, "unknown_environment": list(config.unknown)}
        sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
        return
    from rich.table import Table

    table = Table(header_style="bold", show_lines=False)
    for column in ("name", "value", "source", "doc"):
        table.add_column(column, overflow="fold")
    for row in rows:
        value = "" if row["value"] is None else str(row["value"])
        style = "bold" if row["source"] != "default" else ""
        table.add_row(row["name"], escape(value), row["source"], escape(row["doc"]), style=style)
    console.print(table)
    if config.unknown:
        err_console.print(
            "[yellow]not settings (ignored):[/] " + ", ".join(config.unknown) + " (see `newsagg config show`)"
        )
