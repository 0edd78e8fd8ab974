"""Rollover and retention of the article index (``NEWSAGG_ENGINE_ROLLOVER``, ``NEWSAGG_ENGINE_RETENTION``).

Off by default: one article index per schema version, kept forever. With a rollover set, articles go to
time-based indices ``<prefix>-articles-v<N>-000001``, ``-000002``… behind the one write alias (the newest
is the write index; readers search them all). The composable template matches every one of them, so a
rolled index gets the same mappings. Stories and signatures stay single indices: they are small, and a
story spans months.

Who rolls and deletes:

* **Elasticsearch with ILM** (every default distribution): an ILM policy ``<prefix>-articles`` with a ``hot``
  phase (``rollover``: ``max_age`` / ``max_primary_shard_size``) and, with a retention, a ``delete`` phase
  whose ``min_age`` counts from the rollover. The template names the policy and the rollover alias.
* **OpenSearch with ISM** (the index-management plugin of every distribution): an ISM policy
  ``<prefix>-articles``, states ``hot`` (``rollover``: ``min_index_age`` / ``min_primary_shard_size``) →
  ``delete`` (after ``min_rollover_age``), attached to new article indices by its ``ism_template``; the
  template sets ``plugins.index_state_management.rollover_alias``.
* **Neither** (a minimal build without the plugin): newsagg itself, each time a store opens: a conditional
  ``_rollover`` (the core API, the engine checks the conditions) and deletion of rolled indices whose
  retention has passed since their rollover (the creation of the next index). Logged once as a warning.

The write index is never deleted: retention starts when an index stops receiving new articles, so an
article is kept at least the retention and at most retention + rollover period.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from newsagg.storage.engine_client import EngineClient, EngineError

logger = logging.getLogger(__name__)

_AGE = re.compile(r"^(\d+)(d|h|m|s)$")
_SIZE = re.compile(r"^(\d+)(b|kb|mb|gb|tb)$")
_AGE_MS = {"d": 86_400_000, "h": 3_600_000, "m": 60_000, "s": 1000}
#: The generation suffix the rollover API increments (``-000001`` → ``-000002``).
GENERATION = re.compile(r"-(\d{6})$")
FIRST_GENERATION = "000001"


@dataclass(frozen=True)
class Rollover:
    """When to roll the article index over (any condition met is enough); ``None`` fields are unset."""

    age: str | None = None
    size: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> Rollover | None:
        """``30d``, ``50gb``, ``30d,50gb`` (ages in d/h/m/s, sizes in b/kb/mb/gb/tb); None/empty: off."""
        if not text or not text.strip():
            return None
        age = size = None
        for part in (p.strip().lower() for p in text.split(",") if p.strip()):
            if _AGE.match(part) and age is None:
                age = part
            elif _SIZE.match(part) and size is None:
                size = part
            else:
                raise ValueError(
                    f"NEWSAGG_ENGINE_ROLLOVER={text!r}: expected an age (30d, 12h) and/or a primary shard size "
                    "(50gb), comma-separated, each at most once"
                )
        if (age and age_ms(age) == 0) or (size and int(_SIZE.match(size).group(1)) == 0):  # type: ignore[union-attr]
            raise ValueError(f"NEWSAGG_ENGINE_ROLLOVER={text!r}: a condition of zero would roll over on every write")
        return cls(age=age, size=size)

    def __str__(self) -> str:
        return ",".join(p for p in (self.age, self.size) if p)

    def ilm_conditions(self) -> dict[str, str]:
        """Conditions of the ILM ``rollover`` action and of the core ``_rollover`` API on Elasticsearch."""
        conditions = {}
        if self.age:
            conditions["max_age"] = self.age
        if self.size:
            conditions["max_primary_shard_size"] = self.size
        return conditions

    def ism_conditions(self) -> dict[str, str]:
        """Conditions of the ISM ``rollover`` action."""
        conditions = {}
        if self.age:
            conditions["min_index_age"] = self.age
        if self.size:
            conditions["min_primary_shard_size"] = self.size
        return conditions

    def core_conditions(self, engine: str) -> dict[str, str]:
        """Conditions of the core ``_rollover`` API (OpenSearch's has ``max_size`` for the whole index)."""
        if engine == "elasticsearch":
            return self.ilm_conditions()
        conditions = {}
        if self.age:
            conditions["max_age"] = self.age
        if self.size:
            conditions["max_size"] = self.size
        return conditions


def parse_retention(text: str | None) -> str | None:
    """``365d`` (an age in d/h/m/s) or None for 'keep forever'."""
    if not text or not text.strip():
        return None
    value = text.strip().lower()
    if not _AGE.match(value) or age_ms(value) == 0:
        raise ValueError(f"NEWSAGG_ENGINE_RETENTION={text!r}: expected a positive age such as 365d or 720h")
    return value


def age_ms(age: str) -> int:
    match = _AGE.match(age)
    if not match:
        raise ValueError(f"not an age: {age!r}")
    return int(match.group(1)) * _AGE_MS[match.group(2)]


def policy_name(prefix: str) -> str:
    return f"{prefix}-articles"


def ilm_policy(rollover: Rollover, retention: str | None) -> dict[str, Any]:
    """The ILM policy body (``PUT _ilm/policy/<name>``)."""
    phases: dict[str, Any] = {
        "hot": {"min_age": "0ms", "actions": {"rollover": rollover.ilm_conditions()}},
    }
    if retention:
        # after a rollover, ILM counts a phase's min_age from the rollover: the retention starts when the index
        # stops receiving new articles
        phases["delete"] = {"min_age": retention, "actions": {"delete": {}}}
    meta = {"managed_by": "newsagg", "rollover": str(rollover), "retention": retention or "forever"}
    return {"policy": {"_meta": meta, "phases": phases}}


def ism_policy(prefix: str, rollover: Rollover, retention: str | None) -> dict[str, Any]:
    """The ISM policy body (``PUT _plugins/_ism/policies/<name>``); attaches itself to new article indices."""
    hot: dict[str, Any] = {"name": "hot", "actions": [{"rollover": rollover.ism_conditions()}], "transitions": []}
    states = [hot]
    if retention:
        hot["transitions"] = [{"state_name": "delete", "conditions": {"min_rollover_age": retention}}]
        states.append({"name": "delete", "actions": [{"delete": {}}], "transitions": []})
    return {
        "policy": {
            "description": f"newsagg articles: rollover {rollover}, retention {retention or 'forever'}",
            "default_state": "hot",
            "states": states,
            "ism_template": [{"index_patterns": [f"{prefix}-articles-v*"], "priority": 200}],
        }
    }


def template_settings(driver: str, prefix: str, alias: str) -> dict[str, Any]:
    """Index settings that hand the article indices to the engine's lifecycle manager (none for newsagg's)."""
    if driver == "ilm":
        return {"index.lifecycle.name": policy_name(prefix), "index.lifecycle.rollover_alias": alias}
    if driver == "ism":
        return {"plugins.index_state_management.rollover_alias": alias}
    return {}


def detect_driver(client: EngineClient) -> str:
    """``ilm``, ``ism`` or ``newsagg``: who rolls and deletes on this cluster (see the module doc)."""
    path = "/_ilm/status" if client.engine == "elasticsearch" else "/_plugins/_ism/policies"
    try:
        client.request("GET", path)
    except EngineError as exc:
        if exc.status in (400, 404, 405):  # no such endpoint: the plugin is not installed
            if exc.status == 404 and exc.kind == "index_not_found_exception":  # ISM present, no policy yet
                return "ism"
            logger.warning(
                "%s at %s has no %s: newsagg rolls the article index over and applies the retention itself, "
                "each time a store opens",
                client.engine,
                client.where,
                "ILM" if client.engine == "elasticsearch" else "ISM (index-management plugin)",
            )
            return "newsagg"
        raise
    return "ilm" if client.engine == "elasticsearch" else "ism"


def install_policy(client: EngineClient, driver: str, prefix: str, rollover: Rollover, retention: str | None) -> None:
    """Create the ILM/ISM policy of ``prefix``, or update it when the rollover or retention changed (nothing for
    the ``newsagg`` driver). An unchanged policy is left alone: every store open would otherwise write a new
    policy version."""
    name = policy_name(prefix)
    if driver == "ilm":
        body = ilm_policy(rollover, retention)
        current = client.request("GET", f"/_ilm/policy/{name}", ignore=(404,)) or {}
        if (current.get(name) or {}).get("policy", {}).get("_meta") != body["policy"]["_meta"]:
            client.request("PUT", f"/_ilm/policy/{name}", body)
    elif driver == "ism":
        body = ism_policy(prefix, rollover, retention)
        path = f"/_plugins/_ism/policies/{name}"
        installed = client.request("GET", path, ignore=(404,))
        if installed and installed.get("policy", {}).get("description") == body["policy"]["description"]:
            return
        params = None
        if installed:  # an update must name the version it replaces
            params = {"if_seq_no": installed["_seq_no"], "if_primary_term": installed["_primary_term"]}
        client.request("PUT", path, body, params=params)
        if installed:  # ISM keeps managed indices on the policy version they started with unless told
            try:
                client.request("POST", f"/_plugins/_ism/change_policy/{prefix}-articles-v*", {"policy_id": name})
            except EngineError as exc:
                logger.warning("ISM policy %s updated, but moving its indices to it failed: %s", name, exc)


def delete_policy(client: EngineClient, prefix: str) -> None:
    """Remove the policy of ``prefix`` if there is one (tear-downs)."""
    path = "/_ilm/policy/" if client.engine == "elasticsearch" else "/_plugins/_ism/policies/"
    try:
        client.request("DELETE", path + policy_name(prefix), ignore=(404,))
    except EngineError as exc:
        if exc.status not in (400, 405):  # no lifecycle plugin: no policy either
            raise


def generation_name(index: str) -> str:
    """The first rolled name of a schema version's index: ``…-articles-v4`` → ``…-articles-v4-000001``."""
    return index if GENERATION.search(index) else f"{index}-{FIRST_GENERATION}"


def maintain(
    client: EngineClient,
    alias: str,
    rollover: Rollover,
    retention: str | None,
    *,
    now_ms: int | None = None,
) -> dict[str, Any]:
    """newsagg's own lifecycle, for clusters without ILM/ISM: roll over if a condition is met, then delete the
    rolled indices whose retention has passed since their rollover. Returns what it did."""
    client.refresh(alias)  # the engine checks the conditions on refreshed statistics (docs, segment sizes)
    result = rollover_alias(client, alias, rollover.core_conditions(client.engine))
    deleted: list[str] = []
    if retention:
        deleted = expire(client, alias, age_ms(retention), now_ms=now_ms)
    return {"rolled_over": bool(result.get("rolled_over")), "new_index": result.get("new_index"), "deleted": deleted}


def rollover_alias(
    client: EngineClient, alias: str, conditions: dict[str, str] | None = None, new_index: str | None = None
) -> dict[str, Any]:
    """The core ``_rollover`` API: a new write index behind ``alias`` (if ``conditions`` are met)."""
    body: dict[str, Any] = {}
    if conditions:
        body["conditions"] = conditions
    return client.rollover(alias, body, new_index=new_index)


def expire(client: EngineClient, alias: str, retention_ms: int, *, now_ms: int | None = None) -> list[str]:
    """Delete the read-only indices of ``alias`` rolled over more than ``retention_ms`` ago; their names."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    behind = client.get_alias(alias)
    write = next(
        (i for i, spec in behind.items() if (spec.get("aliases") or {}).get(alias, {}).get("is_write_index")), None
    )
    created = client.creation_dates(list(behind))
    ordered = sorted(behind, key=lambda i: (created.get(i, 0), i))
    deleted = []
    for older, newer in itertools.pairwise(ordered):
        if older == write:
            continue
        rolled_at = created.get(newer)  # the next generation was created by the rollover of this one
        if rolled_at is not None and now - rolled_at >= retention_ms:
            logger.warning("retention: deleting %s (rolled over %s ago)", older, _days(now - rolled_at))
            client.delete_index(older)
            deleted.append(older)
    return deleted


def _days(ms: int) -> str:
    return f"{ms / 86_400_000:.1f} days"
