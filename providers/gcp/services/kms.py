"""Cloud KMS: keys (`kms.key`) with rotation, public IAM and versions scheduled for destruction.

Locations are listed once per project; key rings per location, keys per ring, and for
each key its IAM policy and its versions (to find those scheduled for destruction), all
concurrently. A key ring's IAM policy applies to every key in it, so public grants on the
ring count for each of its keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from providers.base import Fanout, collector
from providers.gcp.iam_facts import public_grants
from providers.gcp.task import GcpTask
from scanner.kinds.gcp import KmsKeyDetail
from scanner.kinds.kms import Key
from scanner.model import Resource

KEY_TYPE = "cloudkms.googleapis.com/CryptoKey"
CALLS = {
    "cloudkms.projects.locations.list": "cloudkms.locations.list",
    "cloudkms.projects.locations.keyRings.list": "cloudkms.keyRings.list",
    "cloudkms.projects.locations.keyRings.getIamPolicy": "cloudkms.keyRings.getIamPolicy",
    "cloudkms.projects.locations.keyRings.cryptoKeys.list": "cloudkms.cryptoKeys.list",
    "cloudkms.projects.locations.keyRings.cryptoKeys.getIamPolicy": "cloudkms.cryptoKeys.getIamPolicy",  # noqa: E501
    "cloudkms.projects.locations.keyRings.cryptoKeys.cryptoKeyVersions.list": "cloudkms.cryptoKeyVersions.list",  # noqa: E501
}
DAY = 86400
_DURATION = re.compile(r"^(\d+)(?:\.\d+)?s$")


@collector("cloudkms", fanout=Fanout.ACCOUNT, produces=(Key.KIND,), calls=CALLS)
def kms_keys(task: GcpTask) -> Iterator[Resource[Any]]:
    """Every key of every key ring in every location of the project."""
    kms = task.service("cloudkms", "v1")
    locations = task.pages(
        lambda token: (
            kms.projects().locations().list(name=f"projects/{task.project}", pageToken=token)
        ),
        "locations",
    )
    if locations is None:
        return
    names = [str(loc.get("name", "")) for loc in locations if loc.get("name")]
    rings = [
        ring for found in task.map(lambda loc: _rings(task, kms, loc), names) for ring in found
    ]
    ring_policies = dict(
        zip(rings, task.map(lambda ring: _policy(task, kms, ring, True), rings), strict=True)
    )
    keys = [key for found in task.map(lambda ring: _keys(task, kms, ring), rings) for key in found]
    for key, (policy, versions) in zip(
        keys, task.map(lambda k: _per_key(task, kms, k), keys), strict=True
    ):
        ring = str(key.get("name", "")).split("/cryptoKeys/")[0]
        yield _key_resource(task, key, ring_policies.get(ring), policy, versions)


def _rings(task: GcpTask, kms: Any, location: str) -> list[str]:
    found = task.pages(
        lambda token: kms.projects().locations().keyRings().list(parent=location, pageToken=token),
        "keyRings",
    )
    return [str(r.get("name", "")) for r in found or [] if r.get("name")]


def _keys(task: GcpTask, kms: Any, ring: str) -> list[Mapping[str, Any]]:
    found = task.pages(
        lambda token: (
            kms.projects().locations().keyRings().cryptoKeys().list(parent=ring, pageToken=token)
        ),
        "cryptoKeys",
    )
    return [k for k in found or [] if isinstance(k, Mapping) and k.get("name")]


def _policy(task: GcpTask, kms: Any, name: str, ring: bool) -> Mapping[str, Any] | None:
    rings = kms.projects().locations().keyRings()
    collection = rings if ring else rings.cryptoKeys()
    fetched = task.execute(
        collection.getIamPolicy(resource=name, options_requestedPolicyVersion=3),
        resource_uid=f"//cloudkms.googleapis.com/{name}",
    )
    return fetched.response


def _per_key(
    task: GcpTask, kms: Any, key: Mapping[str, Any]
) -> tuple[Mapping[str, Any] | None, list[Any] | None]:
    name = str(key["name"])
    versions = task.pages(
        lambda token: (
            kms.projects()
            .locations()
            .keyRings()
            .cryptoKeys()
            .cryptoKeyVersions()
            .list(parent=name, pageToken=token, filter="state=DESTROY_SCHEDULED")
        ),
        "cryptoKeyVersions",
        resource_uid=f"//cloudkms.googleapis.com/{name}",
    )
    return _policy(task, kms, name, False), versions


def _key_resource(
    task: GcpTask,
    key: Mapping[str, Any],
    ring_policy: Mapping[str, Any] | None,
    key_policy: Mapping[str, Any] | None,
    versions: list[Any] | None,
) -> Resource[Key]:
    name = str(key["name"])
    parts = name.split("/")
    location = parts[3] if len(parts) > 3 else "global"
    purpose = key.get("purpose")
    template = key.get("versionTemplate") or {}
    primary = key.get("primary") or {}
    period = _seconds(key.get("rotationPeriod"))
    symmetric = purpose == "ENCRYPT_DECRYPT"
    public = (
        None
        if ring_policy is None or key_policy is None
        else public_grants([ring_policy, key_policy])
    )
    scheduled = (
        None
        if versions is None
        else tuple(
            sorted(
                str(v.get("name", "")).rsplit("/", 1)[-1]
                for v in versions
                if v.get("state") == "DESTROY_SCHEDULED"
            )
        )
    )
    return task.resource(
        uid=f"//cloudkms.googleapis.com/{name}",
        kind=Key.KIND,
        native_type=KEY_TYPE,
        name=parts[-1],
        region=location,
        tags={str(k): str(v) for k, v in (key.get("labels") or {}).items()},
        props=Key(
            key_id=name,
            key_manager="CUSTOMER",
            key_spec=template.get("algorithm") or primary.get("algorithm"),
            key_usage=purpose,
            key_state=primary.get("state"),
            origin=template.get("protectionLevel"),
            # Only symmetric encryption keys can rotate automatically in Cloud KMS.
            rotation_applicable=symmetric,
            rotation_enabled=(period is not None) if symmetric else None,
            public_policy_statements=public,
            # Keys without a primary version (asymmetric) have no single state to judge.
            usable=(primary.get("state") == "ENABLED") if primary.get("state") else None,
            gcp=KmsKeyDetail(
                purpose=purpose,
                protection_level=template.get("protectionLevel"),
                rotation_set=period is not None,
                rotation_period_days=None if period is None else period // DAY,
                public_iam_members=public,
                destroy_scheduled_versions=scheduled,
            ),
        ),
    )


def _seconds(duration: Any) -> int | None:
    match = _DURATION.match(str(duration or ""))
    return int(match.group(1)) if match else None
