"""boto3 client creation for the AWS provider: one configured client per (account, region, service).

boto3 sessions are not thread-safe, but clients are once created, so clients are built
under a lock and cached; every worker thread then shares them. Every client counts its
calls (for tests and the benchmark) and honours `--endpoint-url`.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import boto3
from botocore.config import Config

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

    def _count(self, model: Any, **_: Any) -> None:
        self._counter.add(f"{model.service_model.service_name}.{model.name}")
