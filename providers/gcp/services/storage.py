"""Cloud Storage: buckets (`storage.bucket`) with their encryption, protection and exposure.

One listing call per page with ``projection=full`` returns each bucket's metadata and, for
buckets that still use ACLs, the bucket ACL and default object ACL; one
``getIamPolicy`` per bucket (concurrently) returns its IAM bindings. GCS shows legacy ACL
grants as IAM roles too, so a public ACL shows up in both places: both are reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.base import Fanout, collector
from providers.gcp.iam_facts import is_public, public_grants
from providers.gcp.task import GcpTask
from scanner.kinds.gcp import GcsDetail
from scanner.kinds.storage import AccessLogging, Bucket, BucketEncryption
from scanner.model import Resource

BUCKET_TYPE = "storage.googleapis.com/Bucket"
DAY = 86400
CALLS = {
    "storage.buckets.list": "storage.buckets.list",
    # projection=full (the ACLs in the listing) needs the same permission as reading IAM.
    "storage.buckets.getIamPolicy": "storage.buckets.getIamPolicy",
}


def bucket_uid(name: str) -> str:
    """The full resource name of a bucket."""
    return f"//storage.googleapis.com/projects/_/buckets/{name}"


@collector("storage", fanout=Fanout.ACCOUNT, produces=(Bucket.KIND,), calls=CALLS)
def storage_buckets(task: GcpTask) -> Iterator[Resource[Any]]:
    """Every bucket of the project, with its IAM policy."""
    listed = _list(task)
    if listed is None:
        return
    policies = task.map(lambda item: _policy(task, item), listed)
    for item, policy in zip(listed, policies, strict=True):
        yield bucket_resource(task, item, policy)


def _list(task: GcpTask) -> list[Mapping[str, Any]] | None:
    client = task.apis.storage(task.project)
    items: list[Mapping[str, Any]] = []
    token: str | None = None
    while True:

        def page(token: str | None = token) -> tuple[list[Mapping[str, Any]], str | None]:
            iterator = client.list_buckets(
                project=task.project,
                projection="full",
                page_token=token,
                retry=None,
                timeout=task.options.timeout_seconds,
            )
            found: list[Mapping[str, Any]] = [dict(b._properties) for b in next(iterator.pages)]
            return found, iterator.next_page_token or None

        ok, answer = task.storage_call("storage.buckets.list", page)
        if not ok:
            return None
        found, token = answer
        items.extend(found)
        if not token:
            return items


def _policy(task: GcpTask, item: Mapping[str, Any]) -> Mapping[str, Any] | None:
    name = str(item.get("name", ""))
    bucket = task.apis.storage(task.project).bucket(name)
    ok, policy = task.storage_call(
        "storage.buckets.getIamPolicy",
        lambda: bucket.get_iam_policy(
            requested_policy_version=3, retry=None, timeout=task.options.timeout_seconds
        ).to_api_repr(),
        resource_uid=bucket_uid(name),
    )
    return policy if ok else None


def bucket_resource(
    task: GcpTask, item: Mapping[str, Any], policy: Mapping[str, Any] | None
) -> Resource[Bucket]:
    """A `storage.bucket` from one listed bucket and its IAM policy (None: unreadable)."""
    name = str(item.get("name", ""))
    iam_config = item.get("iamConfiguration") or {}
    ubla = bool((iam_config.get("uniformBucketLevelAccess") or {}).get("enabled", False))
    prevention = str(iam_config.get("publicAccessPrevention") or "inherited")
    iam_public = None if policy is None else public_grants([policy])
    acl_public = _acl_entries(item, ubla)
    detail = GcsDetail(
        location=str(item.get("location", "")).lower() or None,
        location_type=item.get("locationType"),
        uniform_bucket_level_access=ubla,
        public_access_prevention=prevention,
        soft_delete_retention_days=_days(
            (item.get("softDeletePolicy") or {}).get("retentionDurationSeconds")
        ),
        retention_period_days=_days((item.get("retentionPolicy") or {}).get("retentionPeriod")),
        retention_locked=bool((item.get("retentionPolicy") or {}).get("isLocked", False)),
        public_iam_members=iam_public,
        public_acl_entries=acl_public,
    )
    versioning = bool((item.get("versioning") or {}).get("enabled", False))
    return task.resource(
        uid=bucket_uid(name),
        kind=Bucket.KIND,
        native_type=BUCKET_TYPE,
        name=name,
        region=detail.location or "global",
        tags={str(k): str(v) for k, v in (item.get("labels") or {}).items()},
        props=Bucket(
            encryption=_encryption(item),
            # Cloud Storage has no bucket setting that refuses plain-HTTP requests: unknown,
            # and no GCP rule judges it.
            tls_required=None,
            access_logging=_usage_logs(item),
            versioning_status="Enabled" if versioning else "Disabled",
            versioning_enabled=versioning,
            has_policy=None if policy is None else bool(policy.get("bindings")),
            public_acl_grants=acl_public,
            public_policy_statements=iam_public,
            acl_public=_exposed(acl_public, prevention),
            policy_public=_exposed(iam_public, prevention),
            public=_public(iam_public, acl_public, prevention),
            # Uniform bucket-level access turns bucket and object ACLs off; public access
            # prevention makes any public object ACL inert.
            acls_enabled=not ubla,
            object_acl_exposure=not ubla and prevention != "enforced",
            gcp=detail,
        ),
    )


def _usage_logs(item: Mapping[str, Any]) -> AccessLogging:
    target = (item.get("logging") or {}).get("logBucket")
    if not target:
        return AccessLogging(enabled=False)
    return AccessLogging(
        enabled=True,
        target_bucket=str(target),
        target_prefix=(item.get("logging") or {}).get("logObjectPrefix"),
    )


def _encryption(item: Mapping[str, Any]) -> BucketEncryption:
    key = (item.get("encryption") or {}).get("defaultKmsKeyName")
    if key:
        return BucketEncryption(
            enabled=True, algorithm="CMEK", kms_key_id=str(key), customer_managed_key=True
        )
    # Cloud Storage encrypts every object with Google-managed keys when no key is named.
    return BucketEncryption(
        enabled=True, algorithm="GOOGLE_MANAGED", customer_managed_key=False, platform_default=True
    )


def _acl_entries(item: Mapping[str, Any], ubla: bool) -> tuple[str, ...] | None:
    if ubla:
        return ()  # uniform bucket-level access turns every ACL off
    if "acl" not in item and "defaultObjectAcl" not in item:
        return None  # the listing did not carry them (no permission to read ACLs)
    found = {
        f"{where}:{entry.get('entity')}:{entry.get('role')}"
        for where, key in (("bucket", "acl"), ("default-object", "defaultObjectAcl"))
        for entry in item.get(key) or []
        if isinstance(entry, Mapping) and is_public(_acl_member(entry))
    }
    return tuple(sorted(found))


def _acl_member(entry: Mapping[str, Any]) -> str:
    entity = str(entry.get("entity", ""))
    return {"allUsers": "allUsers", "allAuthenticatedUsers": "allAuthenticatedUsers"}.get(
        entity, entity
    )


def _exposed(grants: tuple[str, ...] | None, prevention: str) -> bool | None:
    if prevention == "enforced":
        return False  # public access prevention overrides every public grant
    return None if grants is None else bool(grants)


def _public(
    iam: tuple[str, ...] | None, acl: tuple[str, ...] | None, prevention: str
) -> bool | None:
    if prevention == "enforced":
        return False
    if iam or acl:
        return True
    return None if iam is None or acl is None else False


def _days(seconds: Any) -> int | None:
    """Whole days of a duration in seconds; 0 when the setting is absent (off)."""
    if seconds is None:
        return 0
    try:
        return int(seconds) // DAY
    except (TypeError, ValueError):
        return None
