"""Reading an ECB+-style folder (``clusters.tsv`` + ``ECB+/<topic>/<doc>.xml``) into articles."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}'’”]|n't|'s|'re|'ve|'ll|'d|'m)")
_SPACE_AFTER = re.compile(r"([(\[{$“]) ")
_QUOTES = re.compile(r"``|''")
_URL_START = re.compile(r"^(https?|www)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class GoldDocument:
    name: str
    story: str
    title: str
    text: str


def _detokenize(tokens: list[str]) -> str:
    sentence = _QUOTES.sub('"', " ".join(tokens))
    sentence = _SPACE_BEFORE.sub(r"\1", sentence)
    return _SPACE_AFTER.sub(r"\1", sentence)


def read_document(path: Path) -> tuple[str, str]:
    """``(headline, body)``: the first real sentence is the headline (sentence 0 of *ecbplus* files is the
    source URL and is skipped)."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    sentences: dict[int, list[str]] = {}
    for token in root.iter("token"):
        sentences.setdefault(int(token.get("sentence", 0)), []).append(token.text or "")
    lines = [_detokenize(tokens) for _, tokens in sorted(sentences.items())]
    lines = [line for line in lines if line and not _URL_START.match(line)]
    if not lines:
        return "", ""
    return lines[0], " ".join(lines[1:])


def load_gold(data_dir: Path, limit: int | None = None) -> list[GoldDocument]:
    clusters = data_dir / "clusters.tsv"
    if not clusters.is_file():
        raise FileNotFoundError(f"{data_dir} has no clusters.tsv (an ECB+-style folder is expected)")
    documents: list[GoldDocument] = []
    with clusters.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            path = data_dir / "ECB+" / row["topic"] / row["doc_name"]
            if not path.is_file():
                continue
            title, text = read_document(path)
            documents.append(GoldDocument(row["doc_name"], row["cluster"], title, text))
            if limit and len(documents) >= limit:
                break
    return documents
