"""Key Vaults as `kms.vault`: recovery settings, network reach, keys, audit logging.

Keys are read through ARM's control plane (names and attributes only, never key
material or secrets); the vault's diagnostic settings say whether AuditEvent is exported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from providers.azure import diagnostics, netacls
from providers.azure.task import AzureTask, tags_of, uid
from providers.base import Fanout, collector
from scanner import netcoverage
from scanner.kinds.kms import KeyVault
from scanner.model import Resource

API_VERSION = "2023-07-01"
NATIVE_TYPE = "Microsoft.KeyVault/vaults"

CALLS = {
    "GET Microsoft.KeyVault/vaults": "Microsoft.KeyVault/vaults/read",
    "GET Microsoft.KeyVault/vaults/keys": "Microsoft.KeyVault/vaults/keys/read",
    diagnostics.OPERATION: diagnostics.GRANT,
}


@dataclass(frozen=True)
class _Raw:
    vault: Mapping[str, Any]
    keys: list[dict[str, Any]] | None
    settings: list[diagnostics.Setting] | None


@collector("keyvault", fanout=Fanout.ACCOUNT, produces=(KeyVault.KIND,), calls=CALLS)
def key_vaults(task: AzureTask) -> Iterator[Resource[Any]]:
    """Every Key Vault of the subscription."""
    listed = task.list(f"{task.sub_path}/providers/Microsoft.KeyVault/vaults", API_VERSION)
    for raw in task.map(lambda vault: _read(task, vault), listed or []):
        yield _resource(task, raw)


def _read(task: AzureTask, vault: Mapping[str, Any]) -> _Raw:
    vault_id = str(vault["id"])
    keys = task.list(f"{vault_id}/keys", API_VERSION, resource_uid=uid(vault_id))
    return _Raw(vault, keys, diagnostics.read(task, vault_id))


def _resource(task: AzureTask, raw: _Raw) -> Resource[KeyVault]:
    vault = raw.vault
    props = vault.get("properties") or {}
    acls = props.get("networkAcls") or {}
    ip_rules = netacls.allowed_ip_rules(acls)
    public: bool | None = str(props.get("publicNetworkAccess") or "Enabled").lower() != "disabled"
    if public and str(acls.get("defaultAction") or "Allow").lower() == "deny":
        # Reachable from the listed networks only, unless the IP rules add up to the internet.
        public = None if ip_rules is None else netcoverage.is_internet(ip_rules)
    no_expiry = no_rotation = None
    if raw.keys is not None:
        no_expiry = tuple(
            sorted(
                str(k.get("name"))
                for k in raw.keys
                if not ((k.get("properties") or {}).get("attributes") or {}).get("exp")
            )
        )
        no_rotation = tuple(sorted(str(k.get("name")) for k in raw.keys if not _rotates(k)))
    return task.resource(
        uid=uid(str(vault["id"])),
        kind=KeyVault.KIND,
        native_type=NATIVE_TYPE,
        name=str(vault.get("name") or vault["id"]),
        region=str(vault.get("location") or "global"),
        tags=tags_of(vault),
        props=KeyVault(
            # Unset means off: vaults created before soft delete became the default.
            soft_delete=bool(props.get("enableSoftDelete")),
            purge_protection=bool(props.get("enablePurgeProtection")),
            public_network_access=public,
            soft_delete_retention_days=props.get("softDeleteRetentionInDays"),
            keys_without_expiry=no_expiry,
            keys_without_rotation=no_rotation,
            log_categories=None if raw.settings is None else diagnostics.exported(raw.settings),
            network_ip_rules=ip_rules,
        ),
    )


def _rotates(key: Mapping[str, Any]) -> bool:
    policy = (key.get("properties") or {}).get("rotationPolicy") or {}
    return any(
        str((action.get("action") or {}).get("type") or "").lower() == "rotate"
        for action in policy.get("lifetimeActions") or []
    )
