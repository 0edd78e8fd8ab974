"""Dated values with their provenance.

A news date is only as useful as our knowledge of where it came from: a JSON-LD ``datePublished`` with an
offset is worth more than a day guessed from the URL. Every date therefore travels with its source, its
precision (a date without a time keeps day precision: we never invent midnight) and a confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

DateSource = Literal[
    "json-ld", "meta", "time-tag", "url", "text", "htmldate", "feed", "sitemap", "http-header", "fetch"
]
Precision = Literal["second", "minute", "day"]


@dataclass(frozen=True, slots=True)
class DatedValue:
    """A timezone-aware datetime plus where it came from.

    ``value`` is always tz-aware; with ``precision == "day"`` only its date part is meaningful.
    """

    value: datetime
    source: DateSource
    precision: Precision = "minute"
    confidence: float = 1.0
    raw: str | None = None

    def __post_init__(self) -> None:
        if self.value.tzinfo is None or self.value.utcoffset() is None:
            raise ValueError(f"DatedValue needs a tz-aware datetime, got {self.value!r}")

    def isoformat(self) -> str:
        """ISO 8601 with the original offset kept (day precision prints the date only)."""
        if self.precision == "day":
            return self.value.date().isoformat()
        return self.value.isoformat()

    def utc_timestamp(self) -> float:
        return self.value.astimezone(UTC).timestamp()

    def to_dict(self) -> dict[str, object]:
        return {
            "value": self.value.isoformat(),
            "source": self.source,
            "precision": self.precision,
            "confidence": self.confidence,
            "raw": self.raw,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> DatedValue:
        return cls(
            value=datetime.fromisoformat(str(data["value"])),
            source=data["source"],  # type: ignore[arg-type]
            precision=data.get("precision", "minute"),  # type: ignore[arg-type]
            confidence=float(data.get("confidence", 1.0)),  # type: ignore[arg-type]
            raw=data.get("raw"),  # type: ignore[arg-type]
        )
