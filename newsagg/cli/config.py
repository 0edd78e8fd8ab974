"""``newsagg config show``: every setting's effective value and where it came from."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.markup import escape

from newsagg.cli.options import ReportFormat, ReportFormatOption, SettingOption, home_settings, parse_settings
from newsagg.cli.output import console, err_console
from newsagg.config import Config
from newsagg.secrets import MASK, redact
from newsagg.settings_schema import SETTINGS

config_app = typer.Typer(help="The configuration: every NEWSAGG_* setting, its value and its source.")


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
def show(setting: SettingOption = None, fmt: ReportFormatOption = ReportFormat.table) -> None:
    """Print every NEWSAGG_* setting: effective value, source (default/file/env/--set), default and meaning.

    Credentials are shown as ***. Precedence: default < settings file (NEWSAGG_CONFIG) < environment < --set.
    """
    config = home_settings(None, parse_settings(setting))
    rows = shown_rows(config)
    if fmt == ReportFormat.json:
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
