"""`GcpTask`: what one collector run (one project x one service) works with.

Every Google API call goes through `execute` (discovery requests, which name their own
method id) or `storage_call` (the Cloud Storage client, which names its operation): the
operation must be declared by the collector, 429 and 5xx answers and timeouts are retried
with exponential backoff, and whatever still fails becomes a gap and a `FAILED` result.
Statuses the caller names as "not configured" (say 404) return `ABSENT` instead. Lists
are read page by page with ``nextPageToken`` until the last page; a token that repeats an
earlier one, or more than `MAX_PAGES` pages, is a gap and the listing counts as unread
(never a partial list). A listing that answers without some of its scopes (an unreachable
region) is recorded with `partial`, so the rules over what it lists say UNKNOWN there.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httplib2
from google.api_core import exceptions as core_exceptions
from google.auth import exceptions as auth_exceptions
from googleapiclient.errors import HttpError

from providers.base import MAX_MESSAGE, CallCounter, Collector, CollectTask, GapRecorder
from providers.gcp.clients import Apis
from providers.gcp.options import GcpOptions
from scanner.model import GLOBAL_REGION, Gap
from scanner.redact import redact_text

log = logging.getLogger(__name__)

GLOBAL = GLOBAL_REGION  # the region of account-wide reads and resources
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
# What a call may raise for a cloud-side or network fault (never a bug in the collector).
FAULTS = (
    HttpError,
    core_exceptions.GoogleAPICallError,
    auth_exceptions.GoogleAuthError,
    httplib2.HttpLib2Error,
    OSError,
    ValueError,
)
# A listing longer than this is taken to be endless (the same bound as the Azure client).
MAX_PAGES = 2000
# 403 reasons that mean "this API is not enabled in the project", not "denied".
DISABLED_REASONS = frozenset({"SERVICE_DISABLED", "accessNotConfigured"})


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
        """A top-level field of the response (or `default`, also for a null)."""
        value = None if self.response is None else self.response.get(key)
        return default if value is None else value


ABSENT = Fetched(None, absent=True)
FAILED = Fetched(None, failed=True)


@dataclass(frozen=True)
class Fault:
    """A failed call, classified: HTTP status (0 for no answer), code, retryable, message."""

    status: int
    code: str
    retryable: bool
    message: str


class GcpTask(CollectTask):
    """The GCP half of a collector run: clients, calls, paging, retries and fault mapping."""

    provider: ClassVar[str] = "gcp"

    def __init__(
        self,
        *,
        collector: Collector,
        project: str,
        apis: Apis,
        options: GcpOptions,
        gaps: GapRecorder,
        counter: CallCounter,
        item_workers: int,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            collector=collector,
            account=project,
            region=GLOBAL,
            gaps=gaps,
            item_workers=item_workers,
        )
        self.project = project
        self.apis = apis
        self.options = options
        self._counter = counter
        self._sleep = sleep

    def service(self, api: str, version: str) -> Any:
        """The shared discovery service object of `api` `version`."""
        return self.apis.service(api, version)

    def execute(
        self, request: Any, *, resource_uid: str | None = None, absent: Collection[int] = ()
    ) -> Fetched:
        """Run one discovery request (its method id must be declared)."""
        operation = str(request.methodId)
        self.declared(operation)
        return self._attempts(
            operation, lambda: request.execute(http=self.apis.http()), resource_uid, absent
        )

    def pages(
        self,
        make: Callable[[str | None], Any],
        key: str,
        *,
        resource_uid: str | None = None,
        merge: Callable[[Any], list[Any]] | None = None,
        on_page: Callable[[Mapping[str, Any]], None] | None = None,
    ) -> list[Any] | None:
        """Every item under `key` across all pages; None (and a gap) when a page failed.

        `make(page_token)` builds the request for one page; `merge` turns a page's value
        under `key` into items when it is not a list (aggregated lists are maps);
        `on_page` sees each whole answer (for ``unreachables`` and warnings). A
        ``nextPageToken`` seen before (a loop) or more than `MAX_PAGES` pages is a gap,
        and the listing is unread: None, never the pages read so far.
        """
        items: list[Any] = []
        token: str | None = None
        seen: set[str] = set()
        operation = ""
        for _ in range(MAX_PAGES):
            request = make(token)
            operation = str(request.methodId)
            fetched = self.execute(request, resource_uid=resource_uid)
            if fetched.failed or fetched.response is None:
                return None
            if on_page is not None:
                on_page(fetched.response)
            value = fetched.get(key, [])
            items.extend(merge(value) if merge else value)
            token = fetched.get("nextPageToken") or None
            if token is None:
                return items
            if token in seen:
                self.gap(
                    operation,
                    "PagingLoop",
                    "nextPageToken repeats an earlier page; the listing is not used",
                    resource_uid,
                )
                return None
            seen.add(token)
        self.gap(
            operation,
            "TooManyPages",
            f"more than {MAX_PAGES} pages; paging stopped and the listing is not used",
            resource_uid,
        )
        return None

    def partial(
        self, operation: str, code: str, message: str, *, region: str, kinds: tuple[str, ...]
    ) -> None:
        """Record that `operation` answered without the scope `region` (say unreachable).

        The gap carries `kinds` even though other scopes listed resources of them, so the
        engine reports every rule over those kinds UNKNOWN in `region`: what was listed
        elsewhere is judged, what could not be listed is never read as "nothing there".
        """
        self.declared(operation)
        self._gaps.add(
            Gap(
                provider=self.provider,
                account=self.account,
                region=region,
                service=self.collector.service,
                operation=operation,
                error_code=code,
                message=_message(message),
                kinds=kinds,
            )
        )

    def storage_call(
        self,
        operation: str,
        call: Callable[[], Any],
        *,
        resource_uid: str | None = None,
        absent: Collection[int] = (),
    ) -> tuple[bool, Any]:
        """Run one Cloud Storage client call; (True, answer) or (False, None) after a gap."""
        self.declared(operation)
        box: list[Any] = []

        def run() -> Mapping[str, Any]:
            box.append(call())
            return {}

        fetched = self._attempts(operation, run, resource_uid, absent)
        return (True, box[-1]) if fetched.ok else (False, None)

    def _attempts(
        self,
        operation: str,
        call: Callable[[], Any],
        resource_uid: str | None,
        absent: Collection[int],
    ) -> Fetched:
        attempts = max(1, self.options.max_attempts)
        for attempt in range(attempts):
            self._counter.add(operation)
            try:
                answer = call()
            except FAULTS as exc:
                fault = classify(exc)
                if fault.retryable and attempt + 1 < attempts:
                    self._sleep(self.options.backoff_seconds * (2**attempt))
                    continue
                if fault.status in absent:
                    return ABSENT
                log.debug(
                    "%s failed in %s: %s %s", operation, self.project, fault.code, fault.message
                )
                self.gap(operation, fault.code, fault.message, resource_uid)
                return FAILED
            return Fetched(answer if isinstance(answer, Mapping) else {})
        return FAILED  # not reached: the last attempt returns or records a gap


def classify(exc: BaseException) -> Fault:
    """The status, error code and retryability of a failed call."""
    if isinstance(exc, HttpError):
        status = int(getattr(exc.resp, "status", 0) or 0)
        return _fault(status, _error_body(exc.content), str(exc))
    if isinstance(exc, core_exceptions.GoogleAPICallError):
        status = int(exc.code or 0)
        body = {
            "status": "",
            "errors": list(exc.errors or []),
            "reason": getattr(exc, "reason", None) or "",
            "message": exc.message,
        }
        return _fault(status, body, str(exc.message))
    if isinstance(exc, TimeoutError | httplib2.HttpLib2Error | OSError):
        return Fault(
            0,
            "Timeout" if isinstance(exc, TimeoutError) else type(exc).__name__,
            True,
            _message(str(exc) or type(exc).__name__),
        )
    return Fault(0, type(exc).__name__, False, _message(str(exc)))


def _fault(status: int, body: Mapping[str, Any], fallback: str) -> Fault:
    reasons = {str(e.get("reason", "")) for e in body.get("errors") or [] if isinstance(e, dict)}
    reasons |= {str(d.get("reason", "")) for d in body.get("details") or [] if isinstance(d, dict)}
    reasons.add(str(body.get("reason") or ""))
    if status == 403 and reasons & DISABLED_REASONS:
        code = "SERVICE_DISABLED"
    elif body.get("status"):
        code = str(body["status"])
    else:
        code = {
            400: "INVALID_ARGUMENT",
            401: "UNAUTHENTICATED",
            403: "PERMISSION_DENIED",
            404: "NOT_FOUND",
            429: "RESOURCE_EXHAUSTED",
        }.get(status, f"HTTP_{status}")
    message = str(body.get("message") or fallback)
    return Fault(status, code, status in RETRIED_STATUSES, _message(message))


def _error_body(content: bytes | str | None) -> Mapping[str, Any]:
    try:
        parsed = json.loads(content or b"{}")
    except ValueError:
        return {}
    error = parsed.get("error") if isinstance(parsed, dict) else None
    return error if isinstance(error, dict) else {}


def _message(text: str) -> str:
    # Google error strings quote the request URL, which may carry an endpoint's
    # credentials: redact before the text enters a gap (and from there every output).
    return redact_text(" ".join(text.split()))[:MAX_MESSAGE]
