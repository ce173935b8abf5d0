"""The Azure provider object the registry hands out (`providers.azure.plugin:PROVIDER`).

Importing this module loads no SDK: azure-core is imported only when a scan, the collector
list or the demo is asked for, so `hipaa-scan --help` and flag validation work without it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import click

from providers.azure.options import AzureOptions, cli_params, options_from_flags
from providers.base import Permission, ProgressFn, ProviderBase
from scanner.errors import CollectionError
from scanner.model import Snapshot

# POST actions that return secrets or mint credentials: never declared, never called.
SECRET_ACTIONS = (
    "listkeys",
    "listaccountsas",
    "listservicesas",
    "listconnectionstrings",
    "listcredentials",
    "listsecrets",
    "regeneratekey",
    "listadmincredentials",
)
# Built-in roles that already cover every action the scanner needs.
BUILT_IN_ROLES = {
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Security Reader": "39bcd6f0-e6fc-4f2b-a8da-d43bbd0a6fa2",
}


class AzureProvider(ProviderBase):
    """Microsoft Azure through Azure Resource Manager: subscriptions and their resources."""

    name = "azure"
    title = "Azure"
    sdk_module = "providers.azure.provider"
    sdk_requirement = "azure-core and azure-identity"
    extra = "azure"

    def cli_params(self) -> Sequence[click.Parameter]:
        """The `hipaa-scan azure` flags."""
        return cli_params()

    def options(self, flags: Mapping[str, Any]) -> AzureOptions:
        """Validated `AzureOptions` from the parsed flags."""
        return options_from_flags(flags)

    def permission_document(self) -> str:
        """A custom role definition (JSON) with exactly the read actions the scan needs.

        The built-in Reader role (plus Security Reader for Defender for Cloud) covers the
        same actions; the custom role is the least-privilege alternative.
        """
        document = {
            "Name": "hipaa-scan reader",
            "IsCustom": True,
            "Description": (
                "Read-only access for hipaa-scan: control-plane reads only, no data-plane "
                "access and no key or secret listing. The built-in roles "
                + " and ".join(f"{n} ({i})" for n, i in BUILT_IN_ROLES.items())
                + " together cover the same actions."
            ),
            "Actions": sorted({p.grant for p in self.permissions()}),
            "NotActions": [],
            "DataActions": [],
            "NotDataActions": [],
            "AssignableScopes": ["/subscriptions/00000000-0000-0000-0000-000000000000"],
        }
        return json.dumps(document, indent=2)

    def is_read_only(self, permission: Permission) -> bool:
        """A GET allowed by a ``*/read`` action, never a secret-returning POST."""
        operation, grant = permission.operation, permission.grant
        secret = any(
            word in f"{operation}/{grant}".lower().replace("/", " ").split()
            for word in SECRET_ACTIONS
        )
        return (
            operation.startswith("GET ")
            and grant.endswith("/read")
            and "*" not in grant
            and not secret
        )

    def demo(self, *, progress: ProgressFn | None = None, max_workers: int = 8) -> Snapshot:
        """The Northwind Health sample estate on a local HTTPS fake of ARM, in this process."""
        try:
            from providers.azure.demo import run_demo  # noqa: PLC0415
        except ImportError as exc:
            raise CollectionError(
                f"the Azure demo needs {exc.name}: install with  pip install 'hipaa-scan[demo]'"
            ) from None
        return run_demo(progress=progress, max_workers=max_workers)


PROVIDER = AzureProvider()
