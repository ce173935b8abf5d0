"""boto3 client creation for the AWS provider: one configured client per (account, region, service).

boto3 sessions are not thread-safe, but clients are once created, so clients are built
under a lock and cached; every worker thread then shares them. Every client counts its
calls (for tests and the benchmark) and honours `--endpoint-url`.

Service models are most of a scan's memory (EC2's alone is about 14 MB once parsed) and
botocore loads them once per session, that is once per scanned account. Every session of
a scan therefore loads them through one process-wide `CompactLoader`, which keeps only the
operations the provider declares (with every shape they reach) and no documentation.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import boto3
import orjson
from botocore.config import Config
from botocore.loaders import JSONFileLoader, Loader

from providers.aws.plugin import CORE_CALLS, all_collectors
from providers.base import CallCounter
from scanner import __version__

# Seconds. A host that does not accept a connection fails fast; an answer may take longer.
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30

_ACCOUNT_HOST_PREFIX = re.compile(r"^(https?://)\d{12}\.")


def _strip_account_prefix(request: Any, **_: Any) -> None:
    # s3control prepends "<account-id>." to the endpoint host; against a custom endpoint
    # (moto, a private gateway) that host does not exist, so send it to the endpoint as given.
    request.url = _ACCOUNT_HOST_PREFIX.sub(r"\1", request.url)


# Services kept whole: credential providers (assume-role profiles, web identity, SSO) call
# operations no collector declares.
_WHOLE_SERVICES = frozenset({"sts", "sso", "sso-oidc", "signin"})
# Operations botocore itself may call on a client: S3's region redirector asks HeadBucket,
# and S3 Express buckets need CreateSession.
_INTERNAL_OPERATIONS = {"s3": ("HeadBucket", "CreateSession")}
_DOC_KEYS = ("documentation", "documentationUrl")


# The file forms botocore ships its data in, in the order botocore itself tries them.
_EXTENSIONS = (".json", ".json.gz")


# Every decimal digit read as "0": a run of 20 is a number past 64 bits (or text).
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_TWENTY_DIGITS = b"0" * 20


class FastJSONFileLoader(JSONFileLoader):  # type: ignore[misc]
    """Reads botocore's data files with orjson into plain dicts.

    botocore parses them with `json` into `OrderedDict`s. A scan's 40-odd service models
    (26 MB of JSON) held about 97 MiB that way, 87 MiB parsed into plain dicts by `json`
    and 80 MiB by orjson (which shares its dict keys), in about 70 % of the CPU.
    """

    def load_file(self, file_path: str) -> Any:
        """The parsed data of `file_path` (without its extension), or None when absent."""
        for ext in _EXTENSIONS:
            full_path = Path(file_path + ext)
            if full_path.is_file():
                payload = full_path.read_bytes()
                if ext.endswith(".gz"):
                    payload = gzip.decompress(payload)
                return parse_json(payload)
        return None


def parse_json(payload: bytes) -> Any:
    """`payload` parsed exactly: by orjson, unless it holds a run of 20 digits.

    orjson turns an integer past 64 bits into a float; such a file (today one model, whose
    documentation quotes a long number) is parsed by `json`, which keeps it exact. The
    check costs about 30 ms over a scan's models.
    """
    if payload.translate(_DIGITS_AS_ZERO).find(_TWENTY_DIGITS) >= 0:
        return json.loads(payload)
    return orjson.loads(payload)


class CompactLoader(Loader):  # type: ignore[misc]
    """A botocore loader whose service models hold only the operations in `keep`.

    A service missing from `keep` (or in `_WHOLE_SERVICES`) keeps every operation. Every
    model loses its documentation, which only docstrings read.
    """

    def __init__(self, search_paths: Sequence[str], keep: Mapping[str, Collection[str]]) -> None:
        super().__init__(
            extra_search_paths=list(search_paths),
            file_loader=FastJSONFileLoader(),
            include_default_search_paths=False,
        )
        self._keep = keep
        self._lock = threading.Lock()
        # Loaded models stay cached by the base class, so their ids stay unique.
        self._compacted: set[int] = set()

    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        """The model botocore asks for; a ``service-2`` model compacted on its first load."""
        with self._lock:
            model = super().load_service_model(service_name, type_name, api_version=api_version)
            if type_name == "service-2" and id(model) not in self._compacted:
                keep = None if service_name in _WHOLE_SERVICES else self._keep.get(service_name)
                compact_model(model, keep)
                self._compacted.add(id(model))
            return model


def compact_model(model: dict[str, Any], keep: Collection[str] | None) -> None:
    """Drop, in place, the documentation and (unless `keep` is None) every other operation.

    Shapes no kept operation reaches go too, except error shapes: botocore builds a
    client's exception classes from all of them.
    """
    operations: dict[str, Any] = model.get("operations", {})
    shapes: dict[str, Any] = model.get("shapes", {})
    if keep is not None:
        for name in [n for n, op in operations.items() if not _kept(n, op, keep)]:
            del operations[name]
        reached = _reachable(operations.values(), shapes)
        for name in [n for n in shapes if n not in reached]:
            del shapes[name]
    _drop_docs(model)
    for part in (*operations.values(), *shapes.values()):
        _drop_docs(part)
        for member in part.get("members", {}).values():
            _drop_docs(member)


def _kept(name: str, operation: Mapping[str, Any], keep: Collection[str]) -> bool:
    # The endpoint-discovery operation is called by botocore, never by a collector.
    return name in keep or bool(operation.get("endpointoperation"))


def _reachable(operations: Iterable[Mapping[str, Any]], shapes: Mapping[str, Any]) -> set[str]:
    todo = [name for name, shape in shapes.items() if shape.get("exception")]
    for op in operations:
        todo += [op[k]["shape"] for k in ("input", "output") if k in op]
        todo += [error["shape"] for error in op.get("errors", ())]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in shapes:
            continue
        seen.add(name)
        shape = shapes[name]
        todo += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
        todo += [member["shape"] for member in shape.get("members", {}).values()]
    return seen


def _drop_docs(part: dict[str, Any]) -> None:
    for key in _DOC_KEYS:
        # Only text: a member that happens to be named "documentation" is a shape reference.
        if isinstance(part.get(key), str):
            del part[key]


def declared_operations() -> dict[str, frozenset[str]]:
    """Every operation the provider declares, by botocore service name."""
    found: dict[str, set[str]] = {}
    for call in {*CORE_CALLS, *(c for coll in all_collectors() for c in coll.calls)}:
        service, _, operation = call.partition(".")
        found.setdefault(service, set()).add(operation)
    for service, operations in _INTERNAL_OPERATIONS.items():
        found.setdefault(service, set()).update(operations)
    return {service: frozenset(ops) for service, ops in found.items()}


@functools.cache
def _shared_loader(search_paths: tuple[str, ...]) -> CompactLoader:
    return CompactLoader(search_paths, declared_operations())


def share_models(session: boto3.session.Session) -> None:
    """Make `session` load service models (and endpoint data) through the shared loader."""
    core = session._session
    own = core.get_component("data_loader")
    core.register_component("data_loader", _shared_loader(tuple(own.search_paths)))


class ClientFactory:
    """Builds and caches clients for one AWS account's session."""

    def __init__(
        self,
        session: boto3.session.Session,
        *,
        endpoint_url: str | None,
        max_attempts: int,
        pool_size: int,
        counter: CallCounter,
    ) -> None:
        share_models(session)
        self._session = session
        self._endpoint_url = endpoint_url
        self._counter = counter
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._config = Config(
            # `total_max_attempts` counts the first attempt: botocore's `max_attempts` key
            # counts retries, so `--max-attempts 1` used to mean two tries (and two
            # read timeouts) per call.
            retries={"mode": "adaptive", "total_max_attempts": max_attempts},
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            max_pool_connections=pool_size,
            user_agent_extra=f"hipaa-scan/{__version__}",
            s3={"addressing_style": "path"} if endpoint_url else None,
        )

    def client(self, service: str, region: str) -> Any:
        """The shared client for `service` in `region`."""
        key = (service, region)
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self._session.client(
                    service,
                    region_name=region,
                    endpoint_url=self._endpoint_url,
                    config=self._config,
                )
                found.meta.events.register("before-call", self._count)
                if self._endpoint_url and service == "s3control":
                    found.meta.events.register("before-send.s3-control", _strip_account_prefix)
                self._clients[key] = found
            return found

    def release(self) -> None:
        """Forget every cached client (a later `client` call builds a new one).

        An organization scan calls this once an account's last task is done, so the
        clients of finished accounts (their connection pools, their resolved models) do
        not pile up over hundreds of accounts.
        """
        with self._lock:
            self._clients.clear()

    def _count(self, model: Any, **_: Any) -> None:
        self._counter.add(f"{model.service_model.service_name}.{model.name}")
