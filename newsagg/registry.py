"""The outlet registry: which outlets to crawl, where they are, and what region/language they speak for.

One readable YAML file (``settings/sources.yaml`` for real outlets, the news web's for the demo). Every
article inherits country, region and language from its outlet, and naive page dates ("27/11/2026 14:05")
are read in the outlet's timezone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from newsagg.urls import host_of


class RegistryError(ValueError):
    """The registry file is missing, not YAML, or an outlet entry is incomplete."""


@dataclass(frozen=True, slots=True)
class Outlet:
    id: str
    name: str
    country: str
    language: str
    home: str
    region: str | None = None
    timezone: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    verified: bool = True
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def hosts(self) -> set[str]:
        urls = (self.home, *self.feeds, *self.sitemaps, *self.sections)
        return {host_of(u) for u in urls if u}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "region": self.region,
            "language": self.language,
            "timezone": self.timezone,
            "home": self.home,
            "feeds": list(self.feeds),
            "sitemaps": list(self.sitemaps),
            "sections": list(self.sections),
        }


_REQUIRED = ("id", "name", "country", "language", "home")


def _outlet_from(entry: Any, position: int) -> Outlet:
    if not isinstance(entry, dict):
        raise RegistryError(f"outlet #{position} is not a mapping: {entry!r}")
    missing = [key for key in _REQUIRED if not entry.get(key)]
    if missing:
        raise RegistryError(f"outlet #{position} ({entry.get('id', '?')}) lacks {', '.join(missing)}")
    timezone = entry.get("timezone")
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise RegistryError(f"outlet {entry['id']}: unknown timezone {timezone!r}") from exc
    known = {
        "id",
        "name",
        "country",
        "region",
        "language",
        "timezone",
        "home",
        "feeds",
        "sitemaps",
        "sections",
        "verified",
        "notes",
    }
    return Outlet(
        id=str(entry["id"]),
        name=str(entry["name"]),
        country=str(entry["country"]).upper(),
        region=entry.get("region"),
        language=str(entry["language"]).lower(),
        timezone=timezone,
        home=str(entry["home"]),
        feeds=tuple(entry.get("feeds") or ()),
        sitemaps=tuple(entry.get("sitemaps") or ()),
        sections=tuple(entry.get("sections") or ()),
        verified=bool(entry.get("verified", True)),
        notes=entry.get("notes"),
        extra={k: v for k, v in entry.items() if k not in known},
    )


class Registry:
    """Outlets by id and by host."""

    def __init__(self, outlets: list[Outlet]) -> None:
        ids = [o.id for o in outlets]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise RegistryError(f"duplicate outlet ids: {', '.join(duplicates)}")
        self.outlets = outlets
        self._by_id = {o.id: o for o in outlets}
        self._by_host = {host: o for o in outlets for host in o.hosts}

    @classmethod
    def from_yaml(cls, text: str, *, source: str = "<string>") -> Registry:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise RegistryError(f"{source}: not valid YAML: {exc}") from exc
        entries = data.get("outlets") if isinstance(data, dict) else data
        if not isinstance(entries, list):
            raise RegistryError(f"{source}: expected a list of outlets under 'outlets:'")
        return cls([_outlet_from(e, i + 1) for i, e in enumerate(entries)])

    @classmethod
    def load(cls, path: str | Path) -> Registry:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RegistryError(f"cannot read outlet registry {path}: {exc.strerror}") from exc
        return cls.from_yaml(text, source=str(path))

    def get(self, outlet_id: str) -> Outlet | None:
        return self._by_id.get(outlet_id)

    def for_url(self, url: str) -> Outlet | None:
        return self._by_host.get(host_of(url))

    def select(self, ids: list[str] | None) -> list[Outlet]:
        if not ids:
            return list(self.outlets)
        unknown = [i for i in ids if i not in self._by_id]
        if unknown:
            raise RegistryError(f"unknown outlet id(s): {', '.join(unknown)}")
        return [self._by_id[i] for i in ids]
