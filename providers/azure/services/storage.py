"""Storage accounts: each account's blob service as a `storage.bucket`.

One list per subscription, then per account (on the task's bounded pool) the blob
service properties, the containers' public access levels and the blob service's
diagnostic settings. Never a key: `listKeys` / `listAccountSas` are POSTs this collector
neither declares nor makes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from providers.azure import diagnostics, netacls
from providers.azure.task import ABSENT, Answer, AzureTask, tags_of, uid
from providers.base import Fanout, collector
from scanner.kinds.azure import AzureStorageDetail
from scanner.kinds.storage import AccessLogging, Bucket, BucketEncryption
from scanner.model import Resource

API_VERSION = "2023-05-01"
NATIVE_TYPE = "Microsoft.Storage/storageAccounts"
# The blob categories that record who read, wrote and deleted blobs.
BLOB_CATEGORIES = ("StorageRead", "StorageWrite", "StorageDelete")
GEO_REDUNDANT = ("GRS", "RAGRS", "GZRS", "RAGZRS")
PUBLIC_LEVELS = ("blob", "container")

CALLS = {
    "GET Microsoft.Storage/storageAccounts": "Microsoft.Storage/storageAccounts/read",
    "GET Microsoft.Storage/storageAccounts/blobServices": "Microsoft.Storage/storageAccounts/blobServices/read",  # noqa: E501
    "GET Microsoft.Storage/storageAccounts/blobServices/containers": "Microsoft.Storage/storageAccounts/blobServices/containers/read",  # noqa: E501
    diagnostics.OPERATION: diagnostics.GRANT,
}


@dataclass(frozen=True)
class _Raw:
    account: Mapping[str, Any]
    blob: Answer
    containers: list[dict[str, Any]] | None
    settings: list[diagnostics.Setting] | None


@collector("storage", fanout=Fanout.ACCOUNT, produces=(Bucket.KIND,), calls=CALLS)
def storage_accounts(task: AzureTask) -> Iterator[Resource[Any]]:
    """Every storage account of the subscription, with its blob service's settings."""
    listed = task.list(f"{task.sub_path}/providers/Microsoft.Storage/storageAccounts", API_VERSION)
    for raw in task.map(lambda item: _read(task, item), listed or []):
        yield _resource(task, raw)


def _read(task: AzureTask, account: Mapping[str, Any]) -> _Raw:
    account_id = str(account.get("id") or "")
    blob_id = f"{account_id}/blobServices/default"
    blob = task.get(blob_id, API_VERSION, resource_uid=uid(account_id))
    containers = task.list(f"{blob_id}/containers", API_VERSION, resource_uid=uid(account_id))
    settings = diagnostics.read(task, blob_id, uid(account_id))
    return _Raw(account, blob, containers, settings)


def _resource(task: AzureTask, raw: _Raw) -> Resource[Bucket]:
    account = raw.account
    props = account.get("properties") or {}
    detail = _detail(account, raw)
    return task.resource(
        uid=uid(str(account["id"])),
        kind=Bucket.KIND,
        native_type=NATIVE_TYPE,
        name=str(account.get("name") or account["id"]),
        region=str(account.get("location") or "global"),
        tags=tags_of(account),
        props=Bucket(
            encryption=_encryption(props),
            tls_required=detail.https_only,
            access_logging=_logging(raw.settings),
            versioning_status=_versioning(raw.blob),
            versioning_enabled=None
            if not raw.blob.ok
            else bool(raw.blob.props().get("isVersioningEnabled")),
            public_acl_grants=detail.public_containers,
            acl_public=_public(detail),
            policy_public=None,
            public=_public(detail),
            azure=detail,
        ),
    )


def _detail(account: Mapping[str, Any], raw: _Raw) -> AzureStorageDetail:
    props = account.get("properties") or {}
    encryption = props.get("encryption") or {}
    acls = props.get("networkAcls") or {}
    sku = str((account.get("sku") or {}).get("name") or "") or None
    blob = raw.blob.props()
    blob_delete = blob.get("deleteRetentionPolicy") or {}
    container_delete = blob.get("containerDeleteRetentionPolicy") or {}
    return AzureStorageDetail(
        # Absent means the platform default of the API version read (API_VERSION), which
        # the Storage resource provider documents as true "since API version 2019-04-01"
        # (learn.microsoft.com/rest/api/storagerp/storage-accounts/create,
        # StorageAccountPropertiesCreateParameters.supportsHttpsTrafficOnly). Accounts
        # created earlier with it off carry an explicit false, which is read as such.
        https_only=_flag(props, "supportsHttpsTrafficOnly", default=True),
        minimum_tls_version=str(props.get("minimumTlsVersion") or "TLS1_0"),
        # Unset: accounts from before the switch existed allow public containers.
        allow_blob_public_access=_flag(props, "allowBlobPublicAccess", default=True),
        public_containers=_public_containers(raw.containers),
        public_network_access=str(props.get("publicNetworkAccess") or "Enabled"),
        network_default_action=str(acls.get("defaultAction") or "Allow"),
        network_ip_rules=netacls.allowed_ip_rules(acls),
        allow_shared_key_access=_flag(props, "allowSharedKeyAccess", default=True),
        key_source=str(encryption.get("keySource") or "Microsoft.Storage"),
        infrastructure_encryption=bool(encryption.get("requireInfrastructureEncryption")),
        replication=sku,
        geo_redundant=None if sku is None else sku.split("_")[-1].upper() in GEO_REDUNDANT,
        blob_soft_delete=None if not raw.blob.ok else bool(blob_delete.get("enabled")),
        blob_soft_delete_days=_days(blob_delete),
        container_soft_delete=None if not raw.blob.ok else bool(container_delete.get("enabled")),
        container_soft_delete_days=_days(container_delete),
        log_categories=None if raw.settings is None else diagnostics.exported(raw.settings),
    )


def _flag(props: Mapping[str, Any], key: str, *, default: bool) -> bool:
    value = props.get(key)
    return default if value is None else bool(value)


def _days(policy: Mapping[str, Any]) -> int | None:
    days = policy.get("days")
    return int(days) if policy.get("enabled") and isinstance(days, int) else None


def _public_containers(containers: list[dict[str, Any]] | None) -> tuple[str, ...] | None:
    if containers is None:
        return None
    found = []
    for item in containers:
        level = str((item.get("properties") or {}).get("publicAccess") or "None")
        if level.lower() in PUBLIC_LEVELS:
            found.append(f"{item.get('name')}:{level}")
    return tuple(sorted(found))


def _public(detail: AzureStorageDetail) -> bool | None:
    """Public when the account allows public containers and a container is public.

    The account switch decides alone when it is off: a container's level then does not
    apply, even when the container list could not be read.
    """
    if detail.allow_blob_public_access is False:
        return False
    if detail.public_containers is None:
        return None
    return bool(detail.public_containers)


def _encryption(props: Mapping[str, Any]) -> BucketEncryption:
    encryption = props.get("encryption") or {}
    source = str(encryption.get("keySource") or "Microsoft.Storage")
    vault = encryption.get("keyvaultproperties") or {}
    customer = source.lower() == "microsoft.keyvault"
    key = None
    if customer and vault.get("keyvaulturi"):
        key = f"{str(vault['keyvaulturi']).rstrip('/')}/keys/{vault.get('keyname') or ''}"
    # Azure encrypts every storage account at rest (256-bit AES); it cannot be turned off.
    return BucketEncryption(
        enabled=True,
        algorithm="AES256",
        kms_key_id=key,
        customer_managed_key=customer,
        platform_default=not customer,
    )


def _logging(settings: list[diagnostics.Setting] | None) -> AccessLogging | None:
    if settings is None:
        return None
    for setting in settings:
        names = (*setting.categories, *setting.category_groups)
        if setting.destinations and diagnostics.covers(names, BLOB_CATEGORIES):
            return AccessLogging(
                enabled=True, target_bucket=setting.destinations[0], target_prefix=setting.name
            )
    return AccessLogging(enabled=False)


def _versioning(blob: Answer) -> str | None:
    if blob is ABSENT or not blob.ok:
        return None
    return "Enabled" if blob.props().get("isVersioningEnabled") else "Disabled"
