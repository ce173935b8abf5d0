"""Fixture estates for the fake ARM: wire-format JSON (ARM's property names and casing).

`seed` builds the estate the collector and end-to-end tests share: two subscriptions,
storage accounts that pass, fail and tempt a false positive (TLS1_2 spelled as ARM spells
it; a public container in an account that disallows public access).
"""

from __future__ import annotations

from typing import Any

from tests.providers.azure.fake_arm import FakeArm

SUB_A = "1111aaaa-0000-4000-8000-00000000000a"
SUB_B = "2222bbbb-0000-4000-8000-00000000000b"
RG_A = "RG-Records"  # mixed case, as ARM returns resource-group names
RG_B = "rg-billing"
STORAGE_API = "2023-05-01"
WORKSPACE = (f"/subscriptions/{SUB_A}/resourceGroups/RG-Ops/providers/"
             "Microsoft.OperationalInsights/workspaces/nwh-logs")


def sub_path(sub: str) -> str:
    return f"/subscriptions/{sub}"


def account_id(sub: str, rg: str, name: str) -> str:
    return (f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/"
            f"storageAccounts/{name}")


def account_uid(sub: str, rg: str, name: str) -> str:
    return account_id(sub, rg, name).lower()


def subscription(sub: str, name: str, state: str = "Enabled") -> dict[str, Any]:
    return {"id": sub_path(sub), "subscriptionId": sub, "displayName": name, "state": state}


def storage_account(sub: str, rg: str, name: str, *, location: str = "eastus",
                    sku: str = "Standard_LRS", tags: dict[str, str] | None = None,
                    **props: Any) -> dict[str, Any]:
    return {"id": account_id(sub, rg, name), "name": name, "location": location,
            "type": "Microsoft.Storage/storageAccounts", "kind": "StorageV2",
            "sku": {"name": sku, "tier": "Standard"}, "tags": tags or {}, "properties": props}


def blob_service(versioning: bool | None = None, soft_delete_days: int | None = None,
                 container_soft_delete_days: int | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if versioning is not None:
        props["isVersioningEnabled"] = versioning
    if soft_delete_days is not None:
        props["deleteRetentionPolicy"] = {"enabled": True, "days": soft_delete_days}
    else:
        props["deleteRetentionPolicy"] = {"enabled": False}
    if container_soft_delete_days is not None:
        props["containerDeleteRetentionPolicy"] = {"enabled": True,
                                                   "days": container_soft_delete_days}
    return {"name": "default", "type": "Microsoft.Storage/storageAccounts/blobServices",
            "properties": props}


def container(name: str, access: str = "None") -> dict[str, Any]:
    return {"name": name, "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
            "properties": {"publicAccess": access}}


def diagnostic(target: str, name: str, *, categories: tuple[str, ...] = (),
               groups: tuple[str, ...] = (), workspace: str | None = WORKSPACE
               ) -> dict[str, Any]:
    logs = [{"category": c, "categoryGroup": None, "enabled": True} for c in categories]
    logs += [{"category": None, "categoryGroup": g, "enabled": True} for g in groups]
    props: dict[str, Any] = {"logs": logs, "metrics": []}
    if workspace:
        props["workspaceId"] = workspace
    # ARM lower-cases diagnostic-setting ids up to /microsoft.insights/.
    return {"id": f"{target.lower()}/providers/microsoft.insights/diagnosticSettings/{name}",
            "name": name, "properties": props}


def seed_account(fake: FakeArm, account: dict[str, Any], blob: dict[str, Any] | None,
                 containers: list[dict[str, Any]], settings: list[dict[str, Any]]) -> None:
    blob_id = f"{account['id']}/blobServices/default"
    if blob is not None:
        fake.put(blob_id, blob)
    fake.put_list(f"{blob_id}/containers", containers)
    fake.put_list(f"{blob_id}/providers/Microsoft.Insights/diagnosticSettings", settings)


def seed_storage(fake: FakeArm) -> None:
    """Four storage accounts across two subscriptions (see the module docstring)."""
    records = storage_account(
        SUB_A, RG_A, "nwhrecords", sku="Standard_RAGRS", tags={"phi": "true"},
        supportsHttpsTrafficOnly=True, minimumTlsVersion="TLS1_2", allowBlobPublicAccess=False,
        allowSharedKeyAccess=False, publicNetworkAccess="Disabled",
        networkAcls={"defaultAction": "Deny", "bypass": "AzureServices"},
        encryption={"keySource": "Microsoft.Keyvault", "requireInfrastructureEncryption": True,
                    "keyvaultproperties": {"keyvaulturi": "https://nwh-kv.vault.azure.net/",
                                           "keyname": "phi-key"}})
    public_web = storage_account(
        SUB_A, RG_A, "nwhpublicweb", supportsHttpsTrafficOnly=False,
        minimumTlsVersion="TLS1_0", allowBlobPublicAccess=True,
        networkAcls={"defaultAction": "Allow"}, encryption={"keySource": "Microsoft.Storage"})
    # Decoy: a Container-level public container, but the account disallows public access.
    decoy = storage_account(
        SUB_A, RG_A, "nwhdecoy", supportsHttpsTrafficOnly=True, minimumTlsVersion="TLS1_2",
        allowBlobPublicAccess=False, encryption={"keySource": "Microsoft.Storage"})
    # Older account: allowBlobPublicAccess unset (allowed), no public container, TLS 1.1.
    billing = storage_account(
        SUB_B, RG_B, "nwhbilling", location="westeurope", supportsHttpsTrafficOnly=True,
        minimumTlsVersion="TLS1_1")
    # ARM may answer an id in any case: the collector must still match its declarations.
    billing["id"] = billing["id"].lower()
    fake.put_list(f"{sub_path(SUB_A)}/providers/Microsoft.Storage/storageAccounts",
                  [records, public_web, decoy])
    fake.put_list(f"{sub_path(SUB_B)}/providers/Microsoft.Storage/storageAccounts", [billing])
    seed_account(fake, records, blob_service(True, 30, 30), [container("scans")],
                 [diagnostic(f"{records['id']}/blobServices/default", "to-workspace",
                             categories=("StorageRead", "StorageWrite", "StorageDelete"))])
    seed_account(fake, public_web, blob_service(), [container("site", "Blob"),
                                                    container("private")],
                 [diagnostic(f"{public_web['id']}/blobServices/default", "writes-only",
                             categories=("StorageWrite",))])
    seed_account(fake, decoy, blob_service(False, 7),
                 [container("old-export", "Container"), container("inbox")],
                 [diagnostic(f"{decoy['id']}/blobServices/default", "audit-group",
                             groups=("audit",))])
    seed_account(fake, billing, blob_service(), [container(f"c{i}") for i in range(5)], [])


def seed(fake: FakeArm) -> None:
    """The whole shared estate."""
    fake.put_list("/subscriptions", [subscription(SUB_A, "NWH Production"),
                                     subscription(SUB_B, "NWH Billing"),
                                     subscription("3333cccc-0000-4000-8000-00000000000c",
                                                  "Old", state="Disabled")])
    fake.put(sub_path(SUB_A), subscription(SUB_A, "NWH Production"))
    fake.put(sub_path(SUB_B), subscription(SUB_B, "NWH Billing"))
    seed_storage(fake)
