"""A read-only Azure Resource Manager client on azure-core's pipeline.

Every collector reads ARM through `Arm.get`: one GET of one path at a pinned api-version,
with retries that honour ``Retry-After`` (capped) and back off on 5xx, a bearer token from
any azure-core `TokenCredential`, and the CA bundle given for a custom endpoint. Failures
are `ArmError` values (never exceptions escaping a collector).

Why not the azure-mgmt-* SDK clients: their `ARMPipelineClient` adds an auto-registration
policy that answers ``409 MissingSubscriptionRegistration`` by POSTing a resource-provider
registration (a write); a scanner must report that as a gap instead. One pipeline also gives
every service the same paging, retry and fault mapping, and pinned api-versions mean an
SDK upgrade cannot silently change what is read.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from azure.core import PipelineClient
from azure.core.credentials import AccessToken, TokenCredential
from azure.core.exceptions import AzureError, ClientAuthenticationError
from azure.core.pipeline.policies import (
    BearerTokenCredentialPolicy,
    HeadersPolicy,
    RetryPolicy,
    UserAgentPolicy,
)
from azure.core.pipeline.transport import RequestsTransport
from azure.core.rest import HttpRequest
from requests.adapters import HTTPAdapter

from scanner import __version__

# A Retry-After longer than this is cut short: a scan must end.
MAX_RETRY_AFTER = 30.0
# A nextLink chain longer than this is a loop (or an estate far beyond one scan).
MAX_PAGES = 2000
CONNECT_TIMEOUT = 10
READ_TIMEOUT = 60

_PROVIDERS = "providers"


@dataclass(frozen=True)
class ArmError(Exception):
    """One failed ARM call: HTTP status (None for a transport fault), ARM error code, text."""

    status: int | None
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class StaticToken:
    """A `TokenCredential` that hands out one bearer token (HIPAA_SCAN_AZURE_TOKEN, tests)."""

    def __init__(self, token: str, lifetime: int = 3600) -> None:
        self._token = token
        self._lifetime = lifetime

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """The token, valid for the next `lifetime` seconds whatever scope is asked."""
        return AccessToken(self._token, int(time.time()) + self._lifetime)


class _CappedRetry(RetryPolicy[Any, Any]):
    """azure-core's retry policy with Retry-After honoured up to `MAX_RETRY_AFTER`."""

    def get_retry_after(self, response: Any) -> float | None:
        """The server's Retry-After, capped."""
        wait = super().get_retry_after(response)
        return None if wait is None else min(float(wait), MAX_RETRY_AFTER)


def operation_of(path: str) -> str:
    """The ARM resource type a GET of `path` reads, as the collectors declare it.

    ``/subscriptions/S/resourceGroups/G/providers/Microsoft.Storage/storageAccounts/A/
    blobServices/default`` reads ``Microsoft.Storage/storageAccounts/blobServices``; an
    extension resource (``.../providers/Microsoft.Insights/diagnosticSettings``) is named by
    its last provider namespace; ``/subscriptions`` is ``Microsoft.Resources/subscriptions``.
    """
    segments = [s for s in urlsplit(path).path.split("/") if s]
    last = max((i for i, s in enumerate(segments) if s.lower() == _PROVIDERS), default=None)
    if last is None or last + 1 >= len(segments):
        types = segments[0::2]
        return "GET Microsoft.Resources/" + "/".join(types)
    namespace = segments[last + 1]
    types = segments[last + 2 :: 2]
    return f"GET {namespace}/" + "/".join(types)


def grant_of(operation: str) -> str:
    """The Azure RBAC action that allows a declared GET (``<type>/read``)."""
    return operation.removeprefix("GET ") + "/read"


class Arm:
    """GETs against one ARM endpoint with one credential; safe to share between threads."""

    def __init__(
        self,
        *,
        endpoint: str,
        credential: TokenCredential,
        scope: str,
        ca_bundle: str | None,
        max_attempts: int,
        pool_size: int,
        on_call: Callable[[str], None] | None = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._origin = _origin(self.endpoint)
        self._on_call = on_call
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(10, pool_size))
        session.mount("https://", adapter)
        # The CA bundle verifies this endpoint only: it is never put in REQUESTS_CA_BUNDLE.
        session.verify = ca_bundle or True
        transport = RequestsTransport(
            session=session,
            session_owner=True,
            connection_verify=ca_bundle or True,
            connection_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
        )
        policies = [
            HeadersPolicy(),
            UserAgentPolicy(base_user_agent=f"hipaa-scan/{__version__}"),
            _CappedRetry(
                retry_total=max_attempts - 1,
                retry_connect=max_attempts - 1,
                retry_read=max_attempts - 1,
                retry_status=max_attempts - 1,
                retry_backoff_factor=0.5,
                retry_backoff_max=20,
            ),
            BearerTokenCredentialPolicy(credential, scope),
        ]
        self._client: PipelineClient[Any, Any] = PipelineClient(
            self.endpoint, policies=policies, transport=transport
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def get(self, path: str, api_version: str, operation: str | None = None) -> dict[str, Any]:
        """The JSON body of ``GET path?api-version=...`` (`ArmError` on any failure).

        `operation` is the declared spelling of `operation_of(path)` (ids come back from
        ARM in any case), used to count the call.
        """
        return self._send(
            f"{self.endpoint}{path}", {"api-version": api_version}, operation or operation_of(path)
        )

    def pages(
        self, path: str, api_version: str, operation: str | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Every page of a list (its ``value``), following ``nextLink`` on this endpoint."""
        operation = operation or operation_of(path)
        url: str | None = f"{self.endpoint}{path}"
        params: Mapping[str, str] | None = {"api-version": api_version}
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            assert url is not None
            body = self._send(url, params, operation)
            yield [item for item in body.get("value") or [] if isinstance(item, dict)]
            url = body.get("nextLink") or None
            if url is None:
                return
            if _origin(url) != self._origin:
                # The bearer token goes with every request: never send it to another host.
                raise ArmError(
                    None,
                    "ForeignNextLink",
                    f"nextLink points outside {self._origin}; paging stopped",
                )
            if url in seen:
                raise ArmError(None, "PagingLoop", "nextLink repeats an earlier page")
            seen.add(url)
            params = None  # a nextLink carries its own api-version and skip token
        raise ArmError(None, "TooManyPages", f"more than {MAX_PAGES} pages; paging stopped")

    def _send(self, url: str, params: Mapping[str, str] | None, operation: str) -> dict[str, Any]:
        if self._on_call is not None:
            self._on_call(operation)
        request = HttpRequest(
            "GET", url, params=dict(params or {}), headers={"Accept": "application/json"}
        )
        try:
            response = self._client.send_request(request)
        except ClientAuthenticationError as exc:
            raise ArmError(None, "CredentialUnavailable", _line(str(exc))) from None
        except AzureError as exc:
            raise ArmError(None, type(exc).__name__, _line(str(exc))) from None
        if response.status_code >= 400:
            raise _error(response.status_code, response.text())
        try:
            body = response.json()
        except ValueError:
            raise ArmError(response.status_code, "InvalidJson", "the answer is not JSON") from None
        if not isinstance(body, dict):
            raise ArmError(response.status_code, "InvalidJson", "the answer is not an object")
        return body


def _error(status: int, text: str) -> ArmError:
    code, message = f"HTTP{status}", ""
    try:
        error = json.loads(text).get("error") or {}
        code = str(error.get("code") or code)
        message = str(error.get("message") or "")
    except (ValueError, AttributeError):
        message = "non-JSON error answer"
    return ArmError(status, code, _line(message) or f"HTTP {status}")


def _line(text: str) -> str:
    text = " ".join(text.split())
    # Error texts quote request URLs; a token never appears in them, but keep them short.
    return re.sub(r"(?i)(sig|token|code)=[^&\s]+", r"\1=REDACTED", text)[:300]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
