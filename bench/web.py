"""The bench news web: thousands of article pages built from the real extraction-benchmark pages.

Why copies of real pages: extraction cost depends on real markup (ads, menus, scripts, 170 KB on average),
which a synthetic page would not have. Each copy gets its own URL, title and a word-level perturbation of
its long text runs (every 8th word of each paragraph is replaced by a word picked from the copy's number):
with 5-word shingles that leaves ~(7/8)^5 ≈ 51 % of a copy's shingles shared with its source, a MinHash
Jaccard near 0.35, below the 0.5 near-duplicate threshold. So dedupe does not link every copy to its source
(it never drops anyway) and story clustering sees distinct, if similar, texts: that is noted in the report.

Each outlet is one loopback address (127.0.0.11, .12, ...), so Scrapy sees separate domains as it would on
the real web, with a robots.txt, a home page listing the latest articles, an RSS feed (latest 50) and a
sitemap (every article). ``synthetic=True`` writes small generated pages instead (fast path for the memory
bench, where extraction cost is beside the point).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "article-extraction-benchmark"
FEED_ITEMS = 50
PERTURB_EVERY = 8
SITEMAP_MAX = 50_000
_LONG_TEXT = re.compile(r">([^<>]{120,})<")
_TITLE = re.compile(rb"<title[^>]*>", re.IGNORECASE)
_WORDS = re.compile(r"\S+")
VOCAB = (
    "harbor council budget river minister coalition drought vaccine railway election tariff protest archive "
    "museum festival senator harvest bridge storm refinery union verdict satellite airline ministry copper "
    "quarry glacier lottery orchestra pipeline academy tribunal province lagoon summit treaty customs brigade "
    "observatory cathedral plantation reservoir peninsula delegation referendum inflation monsoon trawler"
).split()


class BenchDataMissing(FileNotFoundError):
    """The extraction-benchmark pages are not where ``--data`` points."""


@dataclass(frozen=True)
class BenchWebSpec:
    pages: int
    outlets: int
    synthetic: bool

    @property
    def key(self) -> str:
        return f"{'synthetic' if self.synthetic else 'real'}-{self.pages}-{self.outlets}-v3"


def outlet_ip(index: int) -> str:
    return f"127.0.0.{11 + index}"


def load_sources(data: Path) -> list[bytes]:
    html = data / "html"
    files = sorted(html.glob("*.html.gz")) if html.is_dir() else []
    if not files:
        raise BenchDataMissing(
            f"no benchmark pages in {html} (expected *.html.gz from the article-extraction-benchmark); "
            "pass --data DIR pointing at the data set's root"
        )
    return [gzip.decompress(f.read_bytes()) for f in files]


def _perturb(page: bytes, copy: int) -> bytes:
    """Replace every 8th word of each long text run, seeded by the copy number; mark the title."""
    rng = random.Random(copy)
    text = page.decode("utf-8", errors="surrogateescape")

    def run(match: re.Match[str]) -> str:
        words = _WORDS.findall(match.group(1))
        for i in range(rng.randrange(PERTURB_EVERY), len(words), PERTURB_EVERY):
            words[i] = rng.choice(VOCAB)
        return ">" + " ".join(words) + "<"

    text = _LONG_TEXT.sub(run, text)
    out = text.encode("utf-8", errors="surrogateescape")
    return _TITLE.sub(lambda m: m.group(0) + f"[{copy}] ".encode(), out, count=1)


_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "an", "er", "is")]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _synthetic(copy: int) -> bytes:
    """A small article of made-up words (a vocabulary of ~10^6), so articles share few terms, as real ones."""
    rng = random.Random(copy)
    topic = [_word(rng) for _ in range(40)]
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(topic) if rng.random() < 0.3 else _word(rng) for _ in range(60)) + ".</p>"
        for _ in range(6)
    )
    title = f"Bench story {copy}: " + " ".join(rng.choice(topic).capitalize() for _ in range(5))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:type" content="article"></head><body><header><nav><a href="/">Home</a></nav></header>'
        f'<article><h1>{title}</h1><time datetime="2026-11-{1 + copy % 28:02d}T10:00:00Z"></time>{paragraphs}'
        "</article><footer>Bench News</footer></body></html>"
    ).encode()


def article_path(copy: int) -> str:
    day = 1 + copy % 28
    return f"/news/2026/11/{day:02d}/story-{copy}.html"


class BenchWeb:
    """Files of the bench web under ``root/<outlet ip>/``; ``registry(port)`` and ``urls(port)`` describe it."""

    def __init__(self, root: Path, spec: BenchWebSpec) -> None:
        self.root = root
        self.spec = spec

    @classmethod
    def build(cls, cache: Path, spec: BenchWebSpec, data: Path | None = None) -> BenchWeb:
        """Generate (or reuse from ``cache``) the web's files; generation is deterministic."""
        root = cache / spec.key
        web = cls(root, spec)
        if (root / "done.json").exists():
            return web
        sources = [] if spec.synthetic else load_sources(data or DEFAULT_DATA)
        if root.exists():
            shutil.rmtree(root)
        for o in range(spec.outlets):
            (root / outlet_ip(o)).mkdir(parents=True)
        for copy in range(spec.pages):
            body = _synthetic(copy) if spec.synthetic else _perturb(sources[copy % len(sources)], copy)
            path = root / web.outlet_of(copy) / article_path(copy).lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        for o in range(spec.outlets):
            web._discovery_files(o)
        (root / "done.json").write_text(json.dumps({"pages": spec.pages, "outlets": spec.outlets}))
        root.chmod(0o755)
        return web

    def outlet_of(self, copy: int) -> str:
        return outlet_ip(copy % self.spec.outlets)

    def copies_of(self, outlet: int) -> range:
        return range(outlet, self.spec.pages, self.spec.outlets)

    def _discovery_files(self, outlet: int) -> None:
        """robots.txt, a home page, feed.xml and sitemap(s) with root-relative placeholders for the host."""
        base = self.root / outlet_ip(outlet)
        copies = list(self.copies_of(outlet))
        latest = copies[-FEED_ITEMS:][::-1]
        start = datetime(2026, 11, 1, tzinfo=UTC)
        (base / "robots.txt").write_text("User-agent: *\nAllow: /\n")
        links = "".join(f'<li><a href="{article_path(c)}">Story {c}</a></li>' for c in latest)
        (base / "index.html").write_text(
            f"<!doctype html><html><head><meta charset='utf-8'><title>Bench outlet {outlet}</title></head>"
            f"<body><ul>{links}</ul></body></html>"
        )
        items = "".join(
            f"<item><title>Story {c}</title><link>@BASE@{article_path(c)}</link>"
            f"<pubDate>{(start + timedelta(minutes=c)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
            for c in latest
        )
        (base / "feed.xml.tmpl").write_text(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench {outlet}</title>'
            f"<link>@BASE@/</link>{items}</channel></rss>"
        )
        chunks = [copies[i : i + SITEMAP_MAX] for i in range(0, len(copies), SITEMAP_MAX)] or [[]]
        for n, chunk in enumerate(chunks):
            urls = "".join(
                f"<url><loc>@BASE@{escape(article_path(c))}</loc>"
                f"<lastmod>{(start + timedelta(minutes=c)).strftime('%Y-%m-%dT%H:%M:%SZ')}</lastmod></url>"
                for c in chunk
            )
            (base / f"sitemap-{n}.xml.tmpl").write_text(
                '<?xml version="1.0" encoding="utf-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            )
        index = "".join(f"<sitemap><loc>@BASE@/sitemap-{n}.xml</loc></sitemap>" for n in range(len(chunks)))
        (base / "sitemap.xml.tmpl").write_text(
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'
        )

    def bind(self, port: int) -> None:
        """Replace the ``@BASE@`` placeholders by this server's absolute base URL (feeds need absolute links)."""
        for o in range(self.spec.outlets):
            base = f"http://{outlet_ip(o)}:{port}"
            for template in (self.root / outlet_ip(o)).glob("*.tmpl"):
                template.with_suffix("").write_text(template.read_text().replace("@BASE@", base))

    def registry(self, port: int) -> dict:
        return {
            "outlets": [
                {
                    "id": f"bench-{o}",
                    "name": f"Bench outlet {o}",
                    "country": "US",
                    "region": "bench",
                    "language": "en",
                    "timezone": "UTC",
                    "home": f"http://{outlet_ip(o)}:{port}/",
                    "feeds": [f"http://{outlet_ip(o)}:{port}/feed.xml"],
                    "sitemaps": [f"http://{outlet_ip(o)}:{port}/sitemap.xml"],
                    "sections": [],
                }
                for o in range(self.spec.outlets)
            ]
        }

    def sitemap_urls(self, port: int) -> list[str]:
        return [f"http://{outlet_ip(o)}:{port}/sitemap.xml" for o in range(self.spec.outlets)]

    def fingerprint(self) -> str:
        return hashlib.sha256(self.spec.key.encode()).hexdigest()[:8]
