"""A small local HTTPS fake of Azure Resource Manager (127.0.0.1 only): tests and demo.

It serves fixture JSON by path, matched case-insensitively as ARM matches ids; a path
ending in a resource type is a collection, answered ``{"value": [...]}`` in pages linked by
``nextLink`` (an unseeded collection is empty); any other unseeded path is 404
``ResourceNotFound``. It checks the bearer token, records every request (method, path,
api-version), refuses anything but GET with 405, and can inject errors per path (403
AuthorizationFailed, 404, 409 MissingSubscriptionRegistration, 429 with Retry-After, 5xx)
a given number of times. TLS uses a throwaway trustme CA; TCP_NODELAY is set because
without it every answer waits ~40 ms for a delayed ACK.

What it does not imitate: api-version validation (it records the version instead),
ARM's throttling headers, async operations, `$filter`/`$expand`, and data-plane endpoints.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import trustme
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

TOKEN = "fake-arm-token"


class _Handler(WSGIRequestHandler):
    disable_nagle_algorithm = True

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class Injected:
    """An error the fake answers for one path, `times` times (None: for ever)."""

    status: int
    code: str
    times: int | None  # None: for ever
    retry_after: int | None = None


@dataclass(frozen=True)
class Seen:
    """One request the fake received."""

    method: str
    path: str
    api_version: str | None


def _key(path: str) -> str:
    return "/" + "/".join(s for s in path.lower().split("/") if s)


def is_collection(path: str) -> bool:
    """True for a path ending in a resource type (a list) rather than a resource name."""
    segments = [s for s in path.split("/") if s]
    lowered = [s.lower() for s in segments]
    if "providers" not in lowered:
        return len(segments) % 2 == 1
    last = len(lowered) - 1 - lowered[::-1].index("providers")
    after = len(segments) - last - 1  # namespace, type, name, type, ...
    return after >= 2 and after % 2 == 0


@dataclass
class FakeArm:
    """The fake's state: fixtures, injected errors, the requests seen."""

    page_size: int = 2
    latency: float = 0.0
    objects: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)
    errors: dict[str, Injected] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    base_url: str = ""
    ca_path: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, path: str, body: Mapping[str, Any]) -> None:
        """Serve `body` for GET `path`."""
        self.objects[_key(path)] = dict(body)

    def put_list(self, path: str, items: Sequence[Mapping[str, Any]]) -> None:
        """Serve `items` (paged) for GET `path`."""
        self.lists[_key(path)] = [dict(i) for i in items]

    def fail(
        self,
        path: str,
        status: int,
        code: str,
        *,
        times: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Answer GET `path` with an ARM error (`times` times, or for ever)."""
        self.errors[_key(path)] = Injected(status, code, times, retry_after)

    def delay(self, path: str, seconds: float) -> None:
        """Answer GET `path` only after `seconds` (to provoke client timeouts)."""
        self.slow[_key(path)] = seconds

    def reset(self) -> None:
        """Forget every fixture, error, delay and request."""
        with self._lock:
            self.slow.clear()
            self.objects.clear()
            self.lists.clear()
            self.errors.clear()
            self.seen.clear()

    def paths(self) -> list[str]:
        """The paths of every GET seen, in order."""
        with self._lock:
            return [s.path for s in self.seen]

    def __call__(self, environ: Any, start_response: Any) -> Any:
        """The WSGI entry point."""
        return self._answer(Request(environ))(environ, start_response)

    def _answer(self, request: Request) -> Response:
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            self.seen.append(Seen(request.method, request.path, request.args.get("api-version")))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _error(401, "InvalidAuthenticationToken", "bad or missing bearer token")
        if request.method != "GET":
            return _error(405, "MethodNotAllowed", "the fake ARM only answers GET")
        key = _key(request.path)
        if key in self.slow:
            time.sleep(self.slow[key])
        injected = self._injected(key)
        if injected is not None:
            headers = {"Retry-After": str(injected.retry_after)} if injected.retry_after else {}
            return _error(injected.status, injected.code, "injected by the test", headers)
        if key in self.lists or (key not in self.objects and is_collection(request.path)):
            return self._page(request, key)
        if key in self.objects:
            return _json(200, self.objects[key])
        return _error(404, "ResourceNotFound", f"The Resource '{request.path}' was not found.")

    def _injected(self, key: str) -> Injected | None:
        with self._lock:
            injected = self.errors.get(key)
            if injected is None:
                return None
            if injected.times is not None:
                injected.times -= 1
                if injected.times <= 0:
                    del self.errors[key]
            return injected

    def _page(self, request: Request, key: str) -> Response:
        items = self.lists.get(key, [])
        start = int(request.args.get("$skiptoken", "0"))
        body: dict[str, Any] = {"value": items[start : start + self.page_size]}
        if start + self.page_size < len(items):
            query = {
                "api-version": request.args.get("api-version", ""),
                "$skiptoken": str(start + self.page_size),
            }
            body["nextLink"] = f"{self.base_url}{request.path}?{urlencode(query)}"
        return _json(200, body)


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body),
        status=status,
        headers=dict(headers or {}),
        content_type="application/json",
    )


def _error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    return _json(status, {"error": {"code": code, "message": message}}, headers)


@contextmanager
def running(directory: Path, fake: FakeArm | None = None) -> Iterator[FakeArm]:
    """Serve a `FakeArm` over HTTPS on 127.0.0.1 (port 0) until the block ends."""
    fake = fake or FakeArm()
    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_path = directory / "fake-arm-ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, fake, threaded=True, ssl_context=context, request_handler=_Handler
    )
    fake.base_url = f"https://127.0.0.1:{server.server_port}"
    fake.ca_path = str(ca_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def query_of(url: str) -> dict[str, list[str]]:
    """The query of a URL (for asserting on nextLinks)."""
    return parse_qs(url.partition("?")[2])
