"""Serve the local news web in the foreground: ``python -m newsagg.newsweb [--base-port N]``.

Prints the registry YAML, then serves until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from . import NewsWeb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsagg.newsweb", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--base-port", type=int, default=None, help="outlet i listens on base-port + i")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with NewsWeb(host=args.host, base_port=args.base_port) as web:
        sys.stdout.write(web.registry_yaml())
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
