"""App Service web apps as `compute.web_app`: HTTPS only, minimum TLS, FTP state."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.azure.task import AzureTask, tags_of, uid
from providers.base import Fanout, collector
from scanner.kinds.web import WebApp
from scanner.model import Resource

API_VERSION = "2023-12-01"
NATIVE_TYPE = "Microsoft.Web/sites"
FTP_STATES = {"disabled": "disabled", "ftpsonly": "ftps-only", "allallowed": "all"}

CALLS = {
    "GET Microsoft.Web/sites": "Microsoft.Web/sites/read",
    "GET Microsoft.Web/sites/config": "Microsoft.Web/sites/config/read",
}


@collector("web", fanout=Fanout.ACCOUNT, produces=(WebApp.KIND,), calls=CALLS)
def web_apps(task: AzureTask) -> Iterator[Resource[Any]]:
    """Every App Service app (web, API and function apps) of the subscription."""
    listed = task.list(f"{task.sub_path}/providers/Microsoft.Web/sites", API_VERSION)
    for site, config in zip(
        listed or [], task.map(lambda s: _config(task, s), listed or []), strict=True
    ):
        props = site.get("properties") or {}
        https_only = props.get("httpsOnly")
        yield task.resource(
            uid=uid(str(site["id"])),
            kind=WebApp.KIND,
            native_type=NATIVE_TYPE,
            name=str(site.get("name") or site["id"]),
            region=str(site.get("location") or "global"),
            tags=tags_of(site),
            props=WebApp(
                https_only=bool(https_only),
                # Absent means the platform default, documented as 1.2 "on both portal
                # and API" (learn.microsoft.com/azure/app-service/overview-tls, "Minimum
                # TLS Version and SCM Minimum TLS Version"); an unread config stays None.
                min_tls_version=None
                if config is None
                else str(config.get("minTlsVersion") or "1.2"),
                ftp_state=None
                if config is None
                else FTP_STATES.get(str(config.get("ftpsState") or "AllAllowed").lower(), "all"),
            ),
        )


def _config(task: AzureTask, site: Mapping[str, Any]) -> Mapping[str, Any] | None:
    answer = task.get(f"{site['id']}/config/web", API_VERSION, resource_uid=uid(str(site["id"])))
    return answer.props() if answer.ok else None
