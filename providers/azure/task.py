"""`AzureTask`: what one collector run (one subscription x one service) works with.

Every ARM read goes through `get` or `list`, which refuse an undeclared operation and turn
every fault into a gap: ``403 AuthorizationFailed``, ``404``, ``409
MissingSubscriptionRegistration`` (the scanner never registers a resource provider),
``429`` after its retries, 5xx and timeouts. A failed read answers `FAILED` / `None`, so
collectors leave the fact `None` and rules say UNKNOWN; a status the caller names as
"not configured" answers `ABSENT`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from providers.azure.arm import Arm, ArmError, operation_of
from providers.base import Collector, CollectTask, GapRecorder
from scanner.model import GLOBAL_REGION

GLOBAL = GLOBAL_REGION  # the region of account-wide reads and resources


@dataclass(frozen=True)
class Answer:
    """The outcome of one GET: a body, an explicit "not configured", or a failure."""

    body: Mapping[str, Any] | None
    absent: bool = False
    failed: bool = False

    @property
    def ok(self) -> bool:
        """True when ARM answered with a body."""
        return self.body is not None

    def props(self) -> Mapping[str, Any]:
        """The ``properties`` object of the body (empty when absent or not an object)."""
        value = (self.body or {}).get("properties")
        return value if isinstance(value, Mapping) else {}


ABSENT = Answer(None, absent=True)
FAILED = Answer(None, failed=True)


class AzureTask(CollectTask):
    """The Azure half of a collector run: ARM reads, paging and fault mapping."""

    provider: ClassVar[str] = "azure"

    def __init__(
        self,
        *,
        collector: Collector,
        subscription: str,
        arm: Arm,
        gaps: GapRecorder,
        item_workers: int,
    ) -> None:
        super().__init__(
            collector=collector,
            account=subscription,
            region=GLOBAL,
            gaps=gaps,
            item_workers=item_workers,
        )
        self.subscription = subscription
        self._arm = arm

    @property
    def sub_path(self) -> str:
        """``/subscriptions/<id>``, the prefix of every subscription-level path."""
        return f"/subscriptions/{self.subscription}"

    def get(
        self,
        path: str,
        api_version: str,
        *,
        resource_uid: str | None = None,
        absent: Collection[int] = (),
    ) -> Answer:
        """GET one resource; an HTTP status in `absent` means "not configured"."""
        operation = self._declared(path)
        try:
            return Answer(self._arm.get(path, api_version, operation))
        except ArmError as exc:
            if exc.status in absent:
                return ABSENT
            self._record(operation, exc, resource_uid)
            return FAILED

    def list(
        self, path: str, api_version: str, *, resource_uid: str | None = None
    ) -> list[dict[str, Any]] | None:
        """Every item of a list across its ``nextLink`` pages; `None` (and a gap) on failure.

        A failure on a later page fails the whole list: a partial list would read as
        "these are all there is".
        """
        operation = self._declared(path)
        items: list[dict[str, Any]] = []
        try:
            for page in self._arm.pages(path, api_version, operation):
                items.extend(page)
        except ArmError as exc:
            self._record(operation, exc, resource_uid)
            return None
        return items

    def _declared(self, path: str) -> str:
        """The declared spelling of the operation `path` reads (ARM ids ignore case)."""
        operation = operation_of(path)
        canonical = {op.lower(): op for op in self.collector.calls}.get(
            operation.lower(), operation
        )
        self.declared(canonical)
        return canonical

    def _record(self, operation: str, exc: ArmError, resource_uid: str | None) -> None:
        message = exc.message
        if exc.code == "MissingSubscriptionRegistration":
            message = (
                f"{message} (the scanner never registers a resource provider: that is a write)"
            )
        self.gap(operation.removeprefix("GET "), exc.code, message, resource_uid=resource_uid)


def uid(resource_id: str) -> str:
    """The snapshot uid of an ARM resource id: lower case (ARM ids are case-insensitive)."""
    return resource_id.strip().rstrip("/").lower()


def resource_group(resource_id: str) -> str | None:
    """The resource-group name in an ARM id (as written), or None."""
    parts = resource_id.strip("/").split("/")
    for index, part in enumerate(parts[:-1]):
        if part.lower() == "resourcegroups":
            return parts[index + 1]
    return None


def tags_of(item: Mapping[str, Any]) -> dict[str, str]:
    """An ARM resource's tags as strings (ARM may answer null)."""
    tags = item.get("tags")
    if not isinstance(tags, Mapping):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in tags.items()}
