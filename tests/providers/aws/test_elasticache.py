"""ElastiCache and MemoryDB collectors under moto: transit and at-rest encryption, AUTH, backups.

moto keeps every setting judged here except ``TransitEncryptionMode`` and the engine
version of a replication group's members: a group in the ``preferred`` mode (TLS and
plaintext both accepted, so not enforced) is answered through a canned
DescribeReplicationGroups reply. Near misses: a Redis group with only a user group (RBAC,
no AUTH token) passes IAM-CACHE-01; MemoryDB's ``open-access`` list fails it; Memcached
fails at-rest encryption and AUTH (it can do neither) and is not judged on backups.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.elasticache import auth_mode, transit_facts
from providers.base import CallCounter
from tests.providers.aws.helpers import ACCOUNT, by_uid, canned, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
RULES = ("EAR-CACHE-01", "EIT-CACHE-01", "IAM-CACHE-01", "BAK-CACHE-01")
P, F, U = "PASS", "FAIL", "UNKNOWN"


def group_arn(name: str, region: str = US) -> str:
    return f"arn:aws:elasticache:{region}:{ACCOUNT}:replicationgroup:{name}"


def cluster_arn(name: str, region: str = US) -> str:
    return f"arn:aws:elasticache:{region}:{ACCOUNT}:cluster:{name}"


def memorydb_arn(name: str) -> str:
    return f"arn:aws:memorydb:{EU}:{ACCOUNT}:cluster/{name}"


def seed() -> None:
    cache = boto3.client("elasticache", US)
    base: dict[str, Any] = {"CacheNodeType": "cache.t3.micro", "Engine": "redis"}
    cache.create_replication_group(
        ReplicationGroupId="hardened",
        ReplicationGroupDescription="d",
        TransitEncryptionEnabled=True,
        AtRestEncryptionEnabled=True,
        AuthToken="test-only-token-0123456789",
        SnapshotRetentionLimit=5,
        Tags=[{"Key": "data-class", "Value": "phi"}],
        **base,
    )
    cache.create_replication_group(
        ReplicationGroupId="rbac-only",
        ReplicationGroupDescription="d",
        TransitEncryptionEnabled=True,
        AtRestEncryptionEnabled=True,
        UserGroupIds=["phi-users"],
        SnapshotRetentionLimit=1,
        **base,
    )
    cache.create_replication_group(
        ReplicationGroupId="plain",
        ReplicationGroupDescription="d",
        TransitEncryptionEnabled=False,
        AtRestEncryptionEnabled=False,
        SnapshotRetentionLimit=0,
        **base,
    )
    cache.create_cache_cluster(
        CacheClusterId="memcached",
        Engine="memcached",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
        TransitEncryptionEnabled=True,
    )
    memorydb = boto3.client("memorydb", EU)
    memorydb.create_cluster(
        ClusterName="open", NodeType="db.t4g.small", ACLName="open-access", TLSEnabled=False
    )
    memorydb.create_cluster(
        ClusterName="locked",
        NodeType="db.t4g.small",
        ACLName="phi-acl",
        TLSEnabled=True,
        SnapshotRetentionLimit=7,
    )


@pytest.fixture(scope="module")
def caches() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        env.delenv("AWS_PROFILE", raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        with mock_aws():
            seed()
            yield


def expected() -> set[tuple[str, str, str]]:
    table = {
        group_arn("hardened"): (P, P, P, P),
        group_arn("rbac-only"): (P, P, P, P),
        group_arn("plain"): (F, F, F, F),
        cluster_arn("memcached"): (F, P, F, None),
        memorydb_arn("open"): (P, F, F, F),
        memorydb_arn("locked"): (P, P, P, P),
    }
    return {
        (rule, uid, status)
        for uid, statuses in table.items()
        for rule, status in zip(RULES, statuses, strict=True)
        if status is not None
    }


def test_exact_outcomes_facts_and_call_counts(caches: None) -> None:
    counter = CallCounter()
    snapshot = scan(["elasticache", "memorydb"], counter=counter)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == expected()
    found = by_uid(snapshot, "cache.cluster")
    assert found[group_arn("hardened")].tags == {"data-class": "phi"}
    assert found[group_arn("rbac-only")].props.auth_mode == "rbac"
    memcached = found[cluster_arn("memcached")].props
    assert (memcached.at_rest_supported, memcached.persistent) == (False, False)
    # Member clusters of the groups are judged through their group, not on their own.
    assert len(found) == 6
    assert {k: v for k, v in counter.counts.items() if k.split(".")[0] in RULES_SERVICES} == {
        "elasticache.DescribeReplicationGroups": 2,
        "elasticache.DescribeCacheClusters": 2,
        "elasticache.ListTagsForResource": 4,
        "memorydb.DescribeClusters": 2,
        "memorydb.ListTags": 2,
    }


RULES_SERVICES = ("elasticache", "memorydb")


def test_preferred_transit_mode_is_not_enforced(caches: None) -> None:
    group = {
        "ReplicationGroupId": "migrating",
        "ARN": group_arn("migrating", EU),
        "Engine": "valkey",
        "TransitEncryptionEnabled": True,
        "TransitEncryptionMode": "preferred",
        "AtRestEncryptionEnabled": True,
        "AuthTokenEnabled": True,
        "SnapshotRetentionLimit": 3,
    }
    with canned("elasticache.DescribeReplicationGroups", {"ReplicationGroups": [group]}):
        snapshot = scan(["elasticache"], regions=(EU,))
    assert outcomes(snapshot, RULES) == {
        ("EAR-CACHE-01", group_arn("migrating", EU), P),
        ("EIT-CACHE-01", group_arn("migrating", EU), F),
        ("IAM-CACHE-01", group_arn("migrating", EU), P),
        ("BAK-CACHE-01", group_arn("migrating", EU), P),
    }


def test_denied_listing_is_unknown_and_denied_tags_fail_closed(caches: None) -> None:
    with failing("memorydb.DescribeClusters", "elasticache.ListTagsForResource"):
        snapshot = scan(["elasticache", "memorydb"])
    scope = f"aws/{ACCOUNT}/{{}}/cache.cluster"
    got = outcomes(snapshot, ["IAM-CACHE-01"], phi_tags=(("data-class", "phi"),))
    # ElastiCache resources are still judged (their tags unread keeps them in scope);
    # MemoryDB's listing failed in both regions, and in eu-west-1 nothing else was found.
    assert got == {
        ("IAM-CACHE-01", group_arn("hardened"), P),
        ("IAM-CACHE-01", group_arn("rbac-only"), P),
        ("IAM-CACHE-01", group_arn("plain"), F),
        ("IAM-CACHE-01", cluster_arn("memcached"), F),
        ("IAM-CACHE-01", scope.format(EU), U),
        ("IAM-CACHE-01", scope.format(US), U),
    }


@pytest.mark.parametrize(
    ("raw", "facts"),
    [
        ({"TransitEncryptionEnabled": True}, (True, None)),
        (
            {"TransitEncryptionEnabled": True, "TransitEncryptionMode": "required"},
            (True, "required"),
        ),
        (
            {"TransitEncryptionEnabled": True, "TransitEncryptionMode": "preferred"},
            (False, "preferred"),
        ),
        ({"TransitEncryptionEnabled": False}, (False, None)),
        ({}, (None, None)),
    ],
)
def test_transit_facts(raw: dict[str, Any], facts: tuple[bool | None, str | None]) -> None:
    assert transit_facts(raw) == facts


@pytest.mark.parametrize(
    ("raw", "mode"),
    [
        ({"AuthTokenEnabled": True}, "token"),
        ({"AuthTokenEnabled": False, "UserGroupIds": ["g"]}, "rbac"),
        ({"AuthTokenEnabled": False, "UserGroupIds": []}, "none"),
        ({}, None),
    ],
)
def test_auth_mode(raw: dict[str, Any], mode: str | None) -> None:
    assert auth_mode(raw) == mode
