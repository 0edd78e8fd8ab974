"""``newsagg`` entry point as a script, so ``python -m cProfile bench/_cli.py crawl ...`` can profile a crawl."""

from newsagg.cli import app

if __name__ == "__main__":
    app()
