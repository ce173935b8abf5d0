"""Google API clients for one scan: credentials, discovery services, storage clients.

Every REST API except Cloud Storage goes through the discovery-based
google-api-python-client built from its bundled static discovery documents (no document
is fetched at run time). httplib2 connections are not thread-safe, so each worker thread
gets its own authorized HTTP object; the service objects are built once per scan and
shared. `--api-endpoint` becomes each API's base URL plus its own service path
(``compute/v1/``, ``bigquery/v2/``...), exactly as on googleapis.com.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import google.auth
import google_auth_httplib2
import httplib2
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.exceptions import DefaultCredentialsError, GoogleAuthError
from google.cloud import storage
from googleapiclient import discovery, discovery_cache

from providers.gcp.options import GcpOptions
from scanner.errors import CollectionError

READ_ONLY_SCOPE = "https://www.googleapis.com/auth/cloud-platform.read-only"


def credentials_for(options: GcpOptions) -> Credentials:
    """Anonymous, Application Default, or impersonated credentials as the options say."""
    if options.anonymous:
        return AnonymousCredentials()  # type: ignore[no-untyped-call]
    try:
        found, _ = google.auth.default(scopes=[READ_ONLY_SCOPE])
    except DefaultCredentialsError as exc:
        raise CollectionError(
            f"no Google credentials found ({' '.join(str(exc).split())[:200]}); run  gcloud "
            "auth application-default login  or set GOOGLE_APPLICATION_CREDENTIALS"
        ) from None
    chosen: Credentials = found
    if options.impersonate_service_account is not None:
        from google.auth import impersonated_credentials  # noqa: PLC0415

        chosen = impersonated_credentials.Credentials(  # type: ignore[no-untyped-call]
            source_credentials=found,
            target_principal=options.impersonate_service_account,
            target_scopes=[READ_ONLY_SCOPE],
        )
    return _refreshed(chosen, options)


def _refreshed(credentials: Credentials, options: GcpOptions) -> Credentials:
    """The credentials with a fresh token, or one clear error instead of a gap per call."""
    from google.auth.transport.requests import Request  # noqa: PLC0415

    try:
        credentials.refresh(Request())  # type: ignore[no-untyped-call]
    except GoogleAuthError as exc:
        who = (
            f" as {options.impersonate_service_account}"
            if options.impersonate_service_account
            else ""
        )
        raise CollectionError(
            f"cannot get a Google access token{who} ({' '.join(str(exc).split())[:200]}); "
            "check  gcloud auth application-default login  and, with "
            "--impersonate-service-account, roles/iam.serviceAccountTokenCreator"
        ) from None
    return credentials


class Apis:
    """The clients of one scan, safe to share between worker threads."""

    def __init__(self, options: GcpOptions, credentials: Credentials) -> None:
        self.options = options
        self.credentials = credentials
        self._lock = threading.Lock()
        self._services: dict[tuple[str, str], Any] = {}
        self._local = threading.local()

    def service(self, api: str, version: str) -> Any:
        """The discovery service object of `api` `version` (built once, from the bundle)."""
        key = (api, version)
        with self._lock:
            if key not in self._services:
                self._services[key] = self._build(api, version)
            return self._services[key]

    def _build(self, api: str, version: str) -> Any:
        document = discovery_cache.get_static_doc(api, version)
        if document is None:
            raise CollectionError(
                f"no bundled discovery document for {api} {version}; "
                "upgrade google-api-python-client"
            )
        client_options: dict[str, str] = {}
        if self.options.api_endpoint:
            path = str(json.loads(document).get("servicePath", ""))
            client_options["api_endpoint"] = f"{self.options.api_endpoint}/{path}"
        return discovery.build_from_document(
            document, credentials=self.credentials, client_options=client_options or None
        )

    def http(self) -> Any:
        """The calling thread's authorized HTTP object (httplib2 is not thread-safe)."""
        made = getattr(self._local, "http", None)
        if made is None:
            raw = httplib2.Http(timeout=self.options.timeout_seconds)
            made = google_auth_httplib2.AuthorizedHttp(self.credentials, http=raw)
            self._local.http = made
        return made

    def storage(self, project: str) -> storage.Client:
        """The calling thread's Cloud Storage client (its endpoint as the options say)."""
        clients: dict[str, storage.Client] = getattr(self._local, "storage", None) or {}
        if project not in clients:
            endpoint = self.options.storage_endpoint or self.options.api_endpoint
            client_options = ClientOptions(api_endpoint=endpoint) if endpoint else None
            client = storage.Client(
                project=project, credentials=self.credentials, client_options=client_options
            )
            # The 3.x client fetches bucket metadata in the background for tracing after
            # bucket-scoped calls: an undeclared storage.buckets.get per bucket. Off.
            client._bucket_metadata_cache = None
            clients[project] = client
            self._local.storage = clients
        return clients[project]
