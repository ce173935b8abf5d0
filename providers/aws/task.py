"""`AwsTask`: what one collector run (one account x one region x one service) works with.

It wraps every API call so that a cloud fault never escapes: an error becomes a `Gap`
and the call returns `FAILED`; an error code the caller names as "not configured" (say
`NoSuchBucketPolicy`) returns `ABSENT`. Collectors turn `FAILED` into a `None` fact, so
rules report UNKNOWN instead of a false PASS or FAIL.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from providers.base import MAX_MESSAGE, Collector, CollectTask, GapRecorder, UndeclaredCallError
from scanner.model import GLOBAL_REGION
from scanner.redact import redact_text

if TYPE_CHECKING:
    from providers.aws.clients import ClientFactory

log = logging.getLogger(__name__)

GLOBAL = GLOBAL_REGION  # the region of account-wide reads and resources
# A response body quoted in an error (an HTML page, a JSON or XML document).
_BODY = re.compile(r"<[!?a-zA-Z/]|\{\s*\"")


@functools.cache
def faults() -> tuple[type[Exception], ...]:
    """What an API call may raise for a cloud-side fault (never a bug in the collector).

    botocore is imported here, on first use, so that the collector declarations (and
    `hipaa-scan permissions aws`) load without the SDK installed.
    """
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415
    from botocore.parsers import ResponseParserError  # noqa: PLC0415

    # ResponseParserError is not a BotoCoreError: an answer that is not AWS's XML or JSON
    # (a proxy's HTML page, an unparsable item) is a fault of the endpoint, not ours.
    return (
        ClientError,
        BotoCoreError,
        ResponseParserError,
        NotImplementedError,
        OSError,
        ValueError,
    )


def _client_error(exc: BaseException) -> bool:
    return faults()[0] in type(exc).__mro__


@dataclass(frozen=True)
class Fetched:
    """The outcome of one API call: a response, an explicit "not configured", or a failure."""

    response: Mapping[str, Any] | None
    absent: bool = False
    failed: bool = False

    @property
    def ok(self) -> bool:
        """True when the call answered with a response."""
        return self.response is not None

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level field of the response (or `default`)."""
        # A null where a list or map is expected (a fake, a proxy) reads as the default, so
        # collectors iterating `get(key, [])` never crash on a malformed answer.
        value = None if self.response is None else self.response.get(key)
        return default if value is None else value


# The tags of a resource that has none (or no tag concept): read, and empty.
ABSENT = Fetched(None, absent=True)
FAILED = Fetched(None, failed=True)


class AwsTask(CollectTask):
    """The AWS half of a collector run: boto3 clients, calls, pagination, fault mapping."""

    provider: ClassVar[str] = "aws"

    def __init__(
        self,
        *,
        collector: Collector,
        account: str,
        region: str,
        api_region: str,
        scan_regions: tuple[str, ...],
        clients: ClientFactory,
        gaps: GapRecorder,
        item_workers: int,
    ) -> None:
        super().__init__(
            collector=collector,
            account=account,
            region=region,
            gaps=gaps,
            item_workers=item_workers,
        )
        self.api_region = api_region
        # Every region of this scan: global collectors (S3, CloudTrail) use it to keep
        # resources and coverage checks to the regions the user asked for.
        self.scan_regions = scan_regions
        self._clients = clients
        # Clients a global collector asked for by region (CloudTrail per region, S3 per
        # bucket): their faults are recorded under that region.
        self._regional_clients: set[int] = set()

    def describe_fault(self, exc: BaseException) -> str:
        """The botocore error text without a response body or an endpoint's credentials."""
        return fault_message(exc)

    @property
    def partition(self) -> str:
        """The ARN partition of this task's region."""
        return partition_of(self.api_region)

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client for `service` in `region` (default: this task's API region)."""
        made = self._clients.client(service, region or self.api_region)
        if region is not None:
            self._regional_clients.add(id(made))
        return made

    def call(
        self,
        client: Any,
        method: str,
        *,
        resource_uid: str | None = None,
        absent: Collection[str] = (),
        **params: Any,
    ) -> Fetched:
        """Call one API operation; errors become gaps, `absent` codes mean "not configured".

        A global collector calling a regional endpoint (CloudTrail, S3) records its gaps
        under that client's region, so the report says where the read failed.
        """
        operation = self._declared(client, method)
        try:
            response = getattr(client, method)(**params)
        except faults() as exc:
            if self._failed(client, operation, exc, absent, resource_uid):
                return FAILED
            return ABSENT
        response.pop("ResponseMetadata", None)
        return Fetched(response)

    def paginate(
        self,
        client: Any,
        method: str,
        key: str,
        *,
        resource_uid: str | None = None,
        absent: Collection[str] = (),
        **params: Any,
    ) -> list[Any] | None:
        """Every item under `key` across all pages; `None` (and a gap) when a page failed."""
        operation = self._declared(client, method)
        if not client.can_paginate(method):
            fetched = self.call(client, method, resource_uid=resource_uid, absent=absent, **params)
            return None if fetched.failed else list(fetched.get(key, []))
        items: list[Any] = []
        try:
            for page in client.get_paginator(method).paginate(**params):
                items.extend(page.get(key) or [])
        except faults() as exc:
            return None if self._failed(client, operation, exc, absent, resource_uid) else []
        return items

    def _declared(self, client: Any, method: str) -> str:
        service = client.meta.service_model.service_name
        operation = client.meta.method_to_api_mapping.get(method)
        if operation is None:
            # Clients know only the operations some collector declares (see clients.py).
            raise UndeclaredCallError(
                f"collector {self.collector.name} calls {service}.{method}, which no "
                "collector declares"
            )
        self.declared(f"{service}.{operation}")
        return str(operation)

    def _failed(
        self,
        client: Any,
        operation: str,
        exc: Exception,
        absent: Collection[str],
        resource_uid: str | None,
    ) -> bool:
        """False when `exc` is an `absent` code ("not configured"); else record a gap."""
        code = error_code(exc)
        if _client_error(exc) and code in absent:
            return False
        service = client.meta.service_model.service_name
        region = self.region
        if region == GLOBAL and id(client) in self._regional_clients:
            region = client.meta.region_name
        message = fault_message(exc)
        log.debug(
            "%s.%s failed in %s/%s: %s %s", service, operation, self.account, region, code, message
        )
        self.gap(operation, code, message, resource_uid, region)
        return True


def partition_of(region: str) -> str:
    """The ARN partition a region belongs to (``aws``, ``aws-cn``, ``aws-us-gov``)."""
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def error_code(exc: Exception) -> str:
    """The AWS error code of a `ClientError`, else the exception's type name."""
    if _client_error(exc):
        response = getattr(exc, "response", {})
        return str(response.get("Error", {}).get("Code", "Unknown"))
    return type(exc).__name__


def fault_message(exc: BaseException) -> str:
    """One readable line for a fault: no response body, no credentials in URLs."""
    text = " ".join(str(exc).split())
    # A 5xx from a gateway or fake often carries a whole HTML page (or a JSON or XML
    # document) in the error: keep the sentence, drop the body, so a gap is one line.
    body = _BODY.search(text)
    if body is not None:
        text = text[: body.start()].rstrip(" :,") + " (response body omitted)"
    # botocore quotes the endpoint URL in connection errors: never let its credentials
    # reach a gap (and from there every output).
    return redact_text(text)[:MAX_MESSAGE]


def fetched_tags(
    fetched: Fetched, read: Callable[[Fetched], Mapping[str, str]]
) -> dict[str, str] | None:
    """The tags a tag call returned; `None` when the call failed (never "no tags")."""
    if fetched.failed:
        return None
    return {} if fetched.absent else dict(read(fetched))


_message = fault_message  # the name earlier tests import


def tag_dict(tags: Sequence[Mapping[str, str]] | None) -> dict[str, str]:
    """AWS's ``[{"Key": k, "Value": v}]`` tag list as a dict (case as returned)."""
    return {t["Key"]: t.get("Value", "") for t in tags or [] if "Key" in t}
