"""Azure Monitor diagnostic settings: where a resource (or a subscription) sends its logs.

Diagnostic settings exist only at api-version ``2021-05-01-preview`` (azure-mgmt-monitor
7 dropped them); they are an extension resource read under the resource's own id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from providers.azure.task import AzureTask, uid

API_VERSION = "2021-05-01-preview"
OPERATION = "GET Microsoft.Insights/diagnosticSettings"
GRANT = "Microsoft.Insights/diagnosticSettings/read"
_DESTINATIONS = (
    "workspaceId",
    "storageAccountId",
    "eventHubAuthorizationRuleId",
    "marketplacePartnerId",
)


@dataclass(frozen=True)
class Setting:
    """One diagnostic setting, reduced to what rules judge."""

    id: str
    name: str
    categories: tuple[str, ...]
    category_groups: tuple[str, ...]
    destinations: tuple[str, ...]


def read(
    task: AzureTask, resource_id: str, resource_uid: str | None = None
) -> list[Setting] | None:
    """The diagnostic settings of `resource_id` (None, with a gap, when unreadable)."""
    items = task.list(
        f"{resource_id}/providers/Microsoft.Insights/diagnosticSettings",
        API_VERSION,
        resource_uid=resource_uid or uid(resource_id),
    )
    return None if items is None else [parse(item) for item in items]


def parse(item: Mapping[str, Any]) -> Setting:
    """One ARM diagnostic-setting object as a `Setting`."""
    props = item.get("properties") or {}
    categories: set[str] = set()
    groups: set[str] = set()
    for entry in props.get("logs") or []:
        if not isinstance(entry, Mapping) or not entry.get("enabled"):
            continue
        if entry.get("category"):
            categories.add(str(entry["category"]))
        if entry.get("categoryGroup"):
            groups.add(str(entry["categoryGroup"]))
    destinations = tuple(uid(str(props[key])) for key in _DESTINATIONS if props.get(key))
    return Setting(
        id=uid(str(item.get("id") or "")),
        name=str(item.get("name") or ""),
        categories=tuple(sorted(categories)),
        category_groups=tuple(sorted(groups)),
        destinations=destinations,
    )


def exported(settings: Sequence[Setting]) -> tuple[str, ...]:
    """Every category and category group some setting sends somewhere (case as ARM gives)."""
    found = {
        name for s in settings if s.destinations for name in (*s.categories, *s.category_groups)
    }
    return tuple(sorted(found))


def covers(
    names: Sequence[str], categories: Sequence[str], groups: Sequence[str] = ("audit", "allLogs")
) -> bool:
    """True when `names` include every one of `categories`, or one of the `groups`."""
    lowered = {n.lower() for n in names}
    if any(g.lower() in lowered for g in groups):
        return True
    return all(c.lower() in lowered for c in categories)
