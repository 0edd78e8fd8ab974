"""``newsagg article raw``: the archived response a stored article was extracted from."""

from __future__ import annotations

import re
import sys
from typing import Annotated

import typer

from newsagg.cli.options import ExitCode, HomeOption, fail, home_settings
from newsagg.cli.output import err_console

article_app = typer.Typer(help="One stored article's archived sources.", no_args_is_help=True)
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


@article_app.command("raw")
def article_raw(
    article_id: Annotated[str, typer.Argument(help="Article id (from 'search' or 'export').")],
    headers: Annotated[bool, typer.Option(help="Print the status line and the response headers first.")] = True,
    home: HomeOption = None,
) -> None:
    """Print the archived HTTP response of an article crawled with --warc (or ingested from a WARC file).

    The body is printed decoded (content and transfer encodings undone, the declared charset applied); control
    characters are shown as <U+XXXX> so a page cannot drive the terminal.
    """
    from warcio.exceptions import ArchiveLoadFailed

    from newsagg.sanitize import terminal_text
    from newsagg.state.db import StateError, state_path
    from newsagg.warc.pointers import WarcPointers
    from newsagg.warc.reader import open_record

    config = home_settings(home)
    if not state_path(config.store.home).exists():
        raise fail(f"no archived response for {article_id}: nothing was archived in this home", ExitCode.error)
    try:
        pointers = WarcPointers.open(config.store.home)
    except StateError as exc:
        raise fail(str(exc), ExitCode.error) from exc
    try:
        pointer = pointers.get(article_id)
    finally:
        pointers.close()
    if pointer is None:
        raise fail(
            f"no archived response for {article_id} (crawl with --warc DIR, or ingest a WARC file)", ExitCode.error
        )
    try:
        with open_record(pointer) as record:
            http = record.http_headers
            body = record.content_stream().read()
            date = record.rec_headers.get_header("WARC-Date")
    except (OSError, ArchiveLoadFailed, ValueError) as exc:
        raise fail(
            f"archived response of {article_id} unreadable at {pointer.file}:{pointer.offset}: {exc}", ExitCode.error
        ) from exc
    err_console.print(f"[dim]{pointer.file} @ {pointer.offset} ({date})[/]", highlight=False, markup=True)
    out: list[str] = []
    charset = "utf-8"
    if http is not None:
        match = _CHARSET.search(http.get_header("Content-Type") or "")
        charset = match.group(1) if match else charset
        if headers:
            out.append(f"{http.protocol} {http.statusline}")
            out.extend(f"{name}: {value}" for name, value in http.headers)
            out.append("")
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    out.append(text)
    sys.stdout.write(terminal_text("\n".join(out)) + "\n")
