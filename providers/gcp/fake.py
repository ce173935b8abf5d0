"""A small local fake of the Google REST APIs the GCP collectors call, on 127.0.0.1.

It backs the tests and `hipaa-scan demo --cloud gcp`; nothing else imports it.

It serves an estate (plain JSON-shaped dicts, one per project) by path, exactly as the
real clients address googleapis.com once `--api-endpoint` replaces the host: Storage JSON
(``/storage/v1/...``), Resource Manager v1, IAM v1, Cloud SQL Admin v1, BigQuery v2
(``/bigquery/v2/...``), Cloud KMS v1, Logging v2 and Compute v1 (``/compute/v1/...``).

What it imitates: every list is paged with ``nextPageToken`` (`page_size` items a page),
and errors can be injected per API method id and path fragment: 403 PERMISSION_DENIED,
403 SERVICE_DISABLED (with ``accessNotConfigured`` and the ErrorInfo detail), 404, 429
or 5xx, for a number of answers or for ever. `delay` adds latency to every answer.
`broken_paging` makes the listings whose path contains a fragment page wrongly: ``loop``
answers the first page's ``nextPageToken`` again and again, ``endless`` goes on past the
last item (both for `ENDLESS` answers, then stop). A
project's ``subnet_unreachables`` and ``subnet_warnings`` (scope to warning) show up in
the aggregated subnet listing as Compute reports a region that did not answer;
``sql_warnings`` and ``dataset_unreachable`` do the same for Cloud SQL and BigQuery. Every
request is recorded with the Google method id its route stands for.

What it does not imitate: authentication (any token or none is accepted), request
validation (bodies and most query parameters are ignored, including list filters),
writes of any kind, ``fields``/partial responses, ETags and conditional requests,
resource-level permissions (a 403 is only what the test injects), the cross-field rules
real Google enforces (a public binding on a bucket with public access prevention
enforced is accepted), and the organization-policy layer.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

Handler = Callable[["FakeGoogle", Request, Mapping[str, str]], Any]


@dataclass
class Fault:
    """An injected error: for `method_id` requests whose path contains `match`."""

    method_id: str
    status: int
    reason: str = ""
    match: str = ""
    times: int | None = None  # None: for ever


@dataclass
class Hit:
    """One request the fake answered."""

    method_id: str
    http_method: str
    path: str
    status: int


@dataclass
class FakeGoogle:
    """The fake's state: the estate per project, faults, paging and latency."""

    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    page_size: int = 2
    delay: float = 0.0
    faults: list[Fault] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    broken_paging: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(
        self,
        method_id: str,
        status: int,
        reason: str = "",
        *,
        match: str = "",
        times: int | None = None,
    ) -> None:
        """Answer `method_id` requests (whose path contains `match`) with an error."""
        with self.lock:
            self.faults.append(Fault(method_id, status, reason, match, times))

    def reset(self) -> None:
        """Forget the estate, the faults and the recorded requests."""
        with self.lock:
            self.projects.clear()
            self.faults.clear()
            self.hits.clear()
            self.delay = 0.0
            self.page_size = 2
            self.broken_paging.clear()

    def method_ids(self) -> set[str]:
        """Every Google method id requested so far."""
        with self.lock:
            return {hit.method_id for hit in self.hits}

    def _fault_for(self, method_id: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.method_id == method_id and fault.match in path:
                    if fault.times is not None:
                        if fault.times <= 0:
                            continue
                        fault.times -= 1
                    return fault
        return None

    def project(self, name: str) -> dict[str, Any]:
        """The estate of one project (empty when unknown)."""
        return self.projects.get(name, {})

    # -- the WSGI application -------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Answer one WSGI request."""
        request = Request(environ)
        response = self._answer(request)
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response:
        if self.delay:
            time.sleep(self.delay)
        for http_method, pattern, method_id, handler in ROUTES:
            match = pattern.match(request.path)
            if match is None or request.method != http_method:
                continue
            fault = self._fault_for(method_id, request.path)
            if fault is not None:
                return self._record(method_id, request, error(fault.status, fault.reason))
            try:
                body = handler(self, request, match.groupdict())
            except KeyError:
                return self._record(method_id, request, error(404))
            return self._record(method_id, request, json_response(body))
        return self._record("UNROUTED", request, error(404, "no such route in the fake"))

    def _record(self, method_id: str, request: Request, response: Response) -> Response:
        with self.lock:
            self.hits.append(Hit(method_id, request.method, request.path, response.status_code))
        return response


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON answer."""
    return Response(json.dumps(body), status=status, mimetype="application/json")


ERROR_STATUS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def error(status: int, reason: str = "") -> Response:
    """A Google-shaped error answer; reason SERVICE_DISABLED gives the disabled-API body."""
    body: dict[str, Any] = {
        "code": status,
        "status": ERROR_STATUS.get(status, "UNKNOWN"),
        "message": reason or ERROR_STATUS.get(status, "error"),
    }
    if reason == "SERVICE_DISABLED":
        body["message"] = (
            "API has not been used in project before or it is disabled. "
            "Enable it by visiting the console."
        )
        body["errors"] = [
            {"reason": "accessNotConfigured", "domain": "usageLimits", "message": body["message"]}
        ]
        body["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
            }
        ]
    elif status == 403:
        body["message"] = "The caller does not have permission"
        body["errors"] = [{"reason": "forbidden", "domain": "global", "message": body["message"]}]
    return json_response({"error": body}, status)


def paged(
    fake: FakeGoogle, request: Request, items: list[Any], key: str, **extra: Any
) -> dict[str, Any]:
    """One page of `items` under `key`, with ``nextPageToken`` when more remain."""
    start = int(request.args.get("pageToken") or 0)
    size = fake.page_size
    answer: dict[str, Any] = {key: items[start : start + size], **extra}
    if start + size < len(items):
        answer["nextPageToken"] = str(start + size)
    for fragment, mode in fake.broken_paging.items():
        if fragment in request.path:
            # Both stop after ENDLESS answers to this path, so that a client without a
            # guard finishes (and reads a wrong list) instead of hanging the test run.
            with fake.lock:
                served = sum(1 for hit in fake.hits if hit.path == request.path)
            if served < ENDLESS:
                answer["nextPageToken"] = str(size) if mode == "loop" else str(start + size)
    return answer


ENDLESS = 50


# -- handlers -----------------------------------------------------------------------

EMPTY_POLICY = {"version": 1, "etag": "BwXq1A==", "bindings": []}


def _buckets(fake: FakeGoogle, request: Request, _: Mapping[str, str]) -> Any:
    items = [dict(b) for b in fake.project(request.args["project"]).get("buckets", [])]
    if request.args.get("projection") != "full":
        for item in items:
            item.pop("acl", None)
            item.pop("defaultObjectAcl", None)
    return paged(fake, request, items, "items", kind="storage#buckets")


def _bucket_iam(fake: FakeGoogle, _: Request, args: Mapping[str, str]) -> Any:
    for estate in fake.projects.values():
        if any(b["name"] == args["bucket"] for b in estate.get("buckets", [])):
            return estate.get("bucket_iam", {}).get(args["bucket"], EMPTY_POLICY)
    raise KeyError(args["bucket"])


def _projects(fake: FakeGoogle, request: Request, _: Mapping[str, str]) -> Any:
    listed = [
        {
            "projectId": name,
            "lifecycleState": estate.get("state", "ACTIVE"),
            "projectNumber": str(estate.get("number", 1000 + index)),
        }
        for index, (name, estate) in enumerate(sorted(fake.projects.items()))
    ]
    return paged(fake, request, listed, "projects")


def _section(name: str, key: str) -> Handler:
    def handler(fake: FakeGoogle, request: Request, args: Mapping[str, str]) -> Any:
        return paged(fake, request, list(fake.project(args["project"]).get(name, [])), key)

    return handler


def _ancestry(fake: FakeGoogle, _: Request, args: Mapping[str, str]) -> Any:
    estate = fake.projects[args["project"]]
    default = [{"resourceId": {"type": "organization", "id": "1001"}}]
    above = estate.get("ancestry", default)
    return {"ancestor": [{"resourceId": {"type": "project", "id": args["project"]}}, *above]}


def _project_policy(fake: FakeGoogle, _: Request, args: Mapping[str, str]) -> Any:
    return fake.project(args["project"]).get("iam_policy", EMPTY_POLICY)


def _sa_keys(fake: FakeGoogle, _: Request, args: Mapping[str, str]) -> Any:
    return {"keys": fake.project(args["project"]).get("sa_keys", {}).get(args["email"], [])}


def _dataset_list(fake: FakeGoogle, request: Request, args: Mapping[str, str]) -> Any:
    datasets = fake.project(args["project"]).get("datasets", {})
    listed = [
        {
            "datasetReference": {"projectId": args["project"], "datasetId": name},
            "labels": body.get("labels", {}),
            "location": body.get("location", "US"),
        }
        for name, body in sorted(datasets.items())
    ]
    extra = {}
    if fake.project(args["project"]).get("dataset_unreachable"):
        extra["unreachable"] = list(fake.project(args["project"])["dataset_unreachable"])
    return paged(fake, request, listed, "datasets", **extra)


def _sql_instances(fake: FakeGoogle, request: Request, args: Mapping[str, str]) -> Any:
    project = fake.project(args["project"])
    extra = {"warnings": list(project["sql_warnings"])} if project.get("sql_warnings") else {}
    return paged(fake, request, list(project.get("sql_instances", [])), "items", **extra)


def _dataset(fake: FakeGoogle, _: Request, args: Mapping[str, str]) -> Any:
    return fake.project(args["project"]).get("datasets", {})[args["dataset"]]


def _kms(name: str, key: str) -> Handler:
    def handler(fake: FakeGoogle, request: Request, args: Mapping[str, str]) -> Any:
        items = fake.project(args["project"]).get("kms", {}).get(name, {}).get(args["parent"], [])
        return paged(fake, request, list(items), key)

    return handler


def _kms_locations(fake: FakeGoogle, request: Request, args: Mapping[str, str]) -> Any:
    names = fake.project(args["project"]).get("kms", {}).get("locations", [])
    listed = [{"name": f"projects/{args['project']}/locations/{n}", "locationId": n} for n in names]
    return paged(fake, request, listed, "locations")


def _kms_policy(fake: FakeGoogle, _: Request, args: Mapping[str, str]) -> Any:
    return (
        fake.project(args["project"])
        .get("kms", {})
        .get("iam", {})
        .get(args["resource"], EMPTY_POLICY)
    )


def _subnets(fake: FakeGoogle, request: Request, args: Mapping[str, str]) -> Any:
    by_region: dict[str, list[Any]] = {}
    for subnet in fake.project(args["project"]).get("subnetworks", []):
        region = str(subnet.get("region", "")).rsplit("/", 1)[-1]
        by_region.setdefault(f"regions/{region}", []).append(subnet)
    project = fake.project(args["project"])
    scopes: dict[str, Any] = {scope: {"subnetworks": found} for scope, found in by_region.items()}
    for scope, warning in (project.get("subnet_warnings") or {}).items():
        scopes[scope] = {**scopes.get(scope, {}), "warning": warning}
    answer: dict[str, Any] = {"items": scopes}
    if project.get("subnet_unreachables"):
        answer["unreachables"] = list(project["subnet_unreachables"])
    return answer


P = r"(?P<project>[a-z][a-z0-9-]+)"
KMS_PARENT = rf"(?P<parent>projects/{P}/locations/[^/]+/keyRings/[^/:]+)"
KMS_KEY = rf"(?P<resource>projects/{P}/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/:]+)"

ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = [
    (method, re.compile(f"^{path}$"), method_id, handler)
    for method, path, method_id, handler in [
        ("GET", r"/storage/v1/b", "storage.buckets.list", _buckets),
        (
            "GET",
            r"/storage/v1/b/(?P<bucket>[^/]+)/iam",
            "storage.buckets.getIamPolicy",
            _bucket_iam,
        ),
        ("GET", r"/v1/projects", "cloudresourcemanager.projects.list", _projects),
        (
            "POST",
            rf"/v1/projects/{P}:getAncestry",
            "cloudresourcemanager.projects.getAncestry",
            _ancestry,
        ),
        (
            "POST",
            rf"/v1/projects/{P}:getIamPolicy",
            "cloudresourcemanager.projects.getIamPolicy",
            _project_policy,
        ),
        (
            "GET",
            rf"/v1/projects/{P}/serviceAccounts",
            "iam.projects.serviceAccounts.list",
            _section("service_accounts", "accounts"),
        ),
        (
            "GET",
            rf"/v1/projects/{P}/serviceAccounts/(?P<email>[^/]+)/keys",
            "iam.projects.serviceAccounts.keys.list",
            _sa_keys,
        ),
        (
            "GET",
            rf"/v1/projects/{P}/instances",
            "sql.instances.list",
            _sql_instances,
        ),
        ("GET", rf"/bigquery/v2/projects/{P}/datasets", "bigquery.datasets.list", _dataset_list),
        (
            "GET",
            rf"/bigquery/v2/projects/{P}/datasets/(?P<dataset>[^/]+)",
            "bigquery.datasets.get",
            _dataset,
        ),
        ("GET", rf"/v1/projects/{P}/locations", "cloudkms.projects.locations.list", _kms_locations),
        (
            "GET",
            rf"/v1/(?P<parent>projects/{P}/locations/[^/]+)/keyRings",
            "cloudkms.projects.locations.keyRings.list",
            _kms("keyRings", "keyRings"),
        ),
        (
            "GET",
            rf"/v1/{KMS_PARENT}/cryptoKeys",
            "cloudkms.projects.locations.keyRings.cryptoKeys.list",
            _kms("cryptoKeys", "cryptoKeys"),
        ),
        (
            "GET",
            rf"/v1/(?P<resource>projects/{P}/locations/[^/]+/keyRings/[^/:]+):getIamPolicy",
            "cloudkms.projects.locations.keyRings.getIamPolicy",
            _kms_policy,
        ),
        (
            "GET",
            rf"/v1/{KMS_KEY}:getIamPolicy",
            "cloudkms.projects.locations.keyRings.cryptoKeys.getIamPolicy",
            _kms_policy,
        ),
        (
            "GET",
            rf"/v1/(?P<parent>projects/{P}/locations/[^/]+/keyRings/[^/]+/cryptoKeys/"
            r"[^/:]+)/cryptoKeyVersions",
            "cloudkms.projects.locations.keyRings.cryptoKeys.cryptoKeyVersions.list",
            _kms("versions", "cryptoKeyVersions"),
        ),
        (
            "GET",
            rf"/v2/projects/{P}/sinks",
            "logging.projects.sinks.list",
            _section("sinks", "sinks"),
        ),
        (
            "GET",
            rf"/v2/projects/{P}/locations/-/buckets",
            "logging.projects.locations.buckets.list",
            _section("log_buckets", "buckets"),
        ),
        (
            "GET",
            rf"/compute/v1/projects/{P}/global/firewalls",
            "compute.firewalls.list",
            _section("firewalls", "items"),
        ),
        (
            "GET",
            rf"/compute/v1/projects/{P}/aggregated/subnetworks",
            "compute.subnetworks.aggregatedList",
            _subnets,
        ),
    ]
]


class _NoDelayHandler(WSGIRequestHandler):
    """Sets TCP_NODELAY: without it every small answer waits ~40 ms for a delayed ACK."""

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Quiet: tests read `FakeGoogle.hits` instead."""


@dataclass
class Running:
    """A fake serving on 127.0.0.1."""

    fake: FakeGoogle
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def endpoint(self) -> str:
        """The base URL to give `--api-endpoint`."""
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def serve(fake: FakeGoogle | None = None) -> Running:
    """Serve `fake` (a new one by default) on a free loopback port, in a thread."""
    fake = fake or FakeGoogle()
    server = make_server("127.0.0.1", 0, fake, threaded=True, request_handler=_NoDelayHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="fake-google")
    thread.start()
    return Running(fake, server, thread)
