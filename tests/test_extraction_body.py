"""Long pages keep their whole text: a live blog is not cut to its first post."""

from __future__ import annotations

from newsagg.extraction.body import extract_body
from newsagg.extraction.page import parse_html

TOPICS = ("storm", "river", "bridge", "council", "hospital", "station", "harbour", "school", "market", "power")


def _sentence(i: int, j: int) -> str:
    a, b = TOPICS[(i + j) % len(TOPICS)], TOPICS[(i * 3 + j) % len(TOPICS)]
    return (
        f"Update {i}.{j}: crews near the {a} reported that the {b} remains closed while engineers inspect the "
        f"damage and residents wait for news about the {a}."
    )


def _post(i: int) -> str:
    paragraphs = "".join(f"<p>{' '.join(_sentence(i, j + k) for k in range(3))}</p>" for j in range(0, 9, 3))
    return (
        f'<article class="live-post" id="post-{i}"><div class="live-post__meta">'
        f'<time datetime="2024-05-02T{10 + i // 6:02d}:{(i * 7) % 60:02d}">{10 + i // 6}:{(i * 7) % 60:02d}</time>'
        f'</div><div class="live-post__body"><h3>Post {i} on the {TOPICS[i % len(TOPICS)]}</h3>{paragraphs}</div>'
        '<div class="live-post__share"><a href="#">Share</a></div></article>'
    )


def live_blog(posts: int = 40) -> str:
    intro = " ".join(_sentence(0, j) for j in range(4))
    return (
        "<html><head><title>Live: storm hits the coast</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<main><div class='liveblog'><header><h1>Live: storm hits the coast</h1><p>{intro}</p></header>"
        f"<div class='live-blog'>{''.join(_post(i) for i in range(posts))}</div></div></main>"
        "<footer>© Coast News</footer></body></html>"
    )


def test_live_blog_keeps_every_post() -> None:
    text, warnings = extract_body(parse_html(live_blog()), "https://coast.example/live/storm")
    for i in (0, 1, 20, 39):
        assert f"Update {i}.0:" in text, i
    assert len(text.split()) > 5000
    assert any("recall pass used" in w for w in warnings)


def test_regular_article_does_not_take_the_recall_pass() -> None:
    paragraphs = "".join(f"<p>{' '.join(_sentence(1, j + k) for k in range(3))}</p>" for j in range(0, 18, 3))
    teasers = "".join(f"<li><a href='/n/{i}'>Other story {i} about the {TOPICS[i]}</a></li>" for i in range(10))
    html = (
        "<html><head><title>Bridge closed</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Bridge closed</h1>{paragraphs}</article><aside><ul>{teasers}</ul></aside></body></html>"
    )
    text, warnings = extract_body(parse_html(html), "https://coast.example/bridge")
    assert "Update 1.0:" in text and "Other story" not in text
    assert not any("recall pass used" in w for w in warnings)
