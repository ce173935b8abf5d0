"""DynamoDB collector and the table rules, end to end under moto.

moto limit met here: the AWS-managed key moto creates for ``SSEType: KMS`` without a key id
reports ``KeyManager: CUSTOMER`` from ``kms:DescribeKey`` (real AWS says ``AWS``). The
collector classifies keys with the ``alias/aws/dynamodb`` alias instead (one ``ListAliases``
per region), which moto models faithfully, so the end-to-end test sees the real answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.dynamodb import key_type
from providers.base import CallCounter
from scanner.kinds.nosql import Table, TableKeyType
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

RULES = ("EAR-TABLE-01", "BAK-TABLE-01", "BAK-TABLE-02")


def uid(region: str, name: str) -> str:
    return f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}"


def create(region: str, name: str, pitr: bool = False, **extra: Any) -> str:
    client = boto3.client("dynamodb", region_name=region)
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        **extra,
    )
    if pitr:
        client.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    return uid(region, name)


def seed() -> dict[str, str]:
    key = boto3.client("kms", region_name="eu-west-1").create_key()["KeyMetadata"]["Arn"]
    return {
        "owned": create("us-east-1", "patients", Tags=[{"Key": "phi", "Value": "yes"}]),
        "managed": create(
            "us-east-1",
            "visits",
            pitr=True,
            DeletionProtectionEnabled=True,
            SSESpecification={"Enabled": True, "SSEType": "KMS"},
        ),
        "cmk": create(
            "eu-west-1",
            "claims",
            pitr=True,
            SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key},
        ),
        "key": key,
    }


@pytest.fixture
def estate() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield seed()


def expected(u: dict[str, str]) -> set[tuple[str, str, str]]:
    return {
        ("EAR-TABLE-01", u["owned"], "FAIL"),
        ("EAR-TABLE-01", u["managed"], "FAIL"),
        ("EAR-TABLE-01", u["cmk"], "PASS"),
        ("BAK-TABLE-01", u["owned"], "FAIL"),
        ("BAK-TABLE-01", u["managed"], "PASS"),
        ("BAK-TABLE-01", u["cmk"], "PASS"),
        ("BAK-TABLE-02", u["owned"], "FAIL"),
        ("BAK-TABLE-02", u["managed"], "PASS"),
        ("BAK-TABLE-02", u["cmk"], "FAIL"),
    }


def test_scan_outcomes_across_regions(estate: dict[str, str]) -> None:
    snapshot = scan(["dynamodb"])
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == expected(estate)
    assert outcomes(snapshot, RULES, phi_tags=(("phi", "yes"),)) == {
        w for w in expected(estate) if w[1] == estate["owned"]
    }


def test_facts(estate: dict[str, str]) -> None:
    found = by_uid(scan(["dynamodb"]), Table.KIND)
    assert set(found) == {estate["owned"], estate["managed"], estate["cmk"]}
    owned, managed, cmk = found[estate["owned"]], found[estate["managed"]], found[estate["cmk"]]
    assert (owned.name, owned.region, owned.native_type, owned.tags) == (
        "patients",
        "us-east-1",
        "AWS::DynamoDB::Table",
        {"phi": "yes"},
    )
    assert (owned.props.key_type, owned.props.kms_key_arn) == (TableKeyType.AWS_OWNED, None)
    assert owned.props.point_in_time_recovery is False
    assert managed.props.key_type is TableKeyType.AWS_MANAGED
    assert managed.props.kms_key_arn and managed.props.kms_key_arn.startswith(
        "arn:aws:kms:us-east-1:"
    )
    assert (managed.props.point_in_time_recovery, managed.props.recovery_period_days) == (True, 35)
    assert managed.props.deletion_protection is True
    assert (cmk.region, cmk.props.key_type, cmk.props.kms_key_arn) == (
        "eu-west-1",
        TableKeyType.CUSTOMER_MANAGED,
        estate["key"],
    )


def test_backups_denied_is_unknown(estate: dict[str, str]) -> None:
    with failing("dynamodb.DescribeContinuousBackups"):
        snapshot = scan(["dynamodb"])
    tables = by_uid(snapshot, Table.KIND)
    assert all(t.props.point_in_time_recovery is None for t in tables.values())
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeContinuousBackups", u) for u in tables
    }
    want = {w for w in expected(estate) if w[0] != "BAK-TABLE-01"}
    want |= {("BAK-TABLE-01", u, "UNKNOWN") for u in tables}
    assert outcomes(snapshot, RULES) == want


def test_aliases_denied_leaves_kms_keys_unclassified(estate: dict[str, str]) -> None:
    with failing("kms.ListAliases"):
        snapshot = scan(["dynamodb"])
    assert {(g.service, g.operation, g.region) for g in snapshot.gaps} == {
        ("dynamodb", "ListAliases", "us-east-1"),
        ("dynamodb", "ListAliases", "eu-west-1"),
    }
    want = {w for w in expected(estate) if w[0] != "EAR-TABLE-01" or w[1] == estate["owned"]}
    want |= {
        ("EAR-TABLE-01", estate["managed"], "UNKNOWN"),
        ("EAR-TABLE-01", estate["cmk"], "UNKNOWN"),
    }
    # The AWS-owned table needs no key lookup: still judged.
    assert outcomes(snapshot, RULES) == want


def test_describe_denied_is_unknown_not_owned(estate: dict[str, str]) -> None:
    with failing("dynamodb.DescribeTable"):
        snapshot = scan(["dynamodb"], regions=("us-east-1",))
    tables = by_uid(snapshot, Table.KIND)
    assert set(tables) == {estate["owned"], estate["managed"]}
    assert all(
        t.props.key_type is None and t.props.deletion_protection is None for t in tables.values()
    )
    assert outcomes(snapshot, ("EAR-TABLE-01", "BAK-TABLE-02")) == {
        (rule_id, u, "UNKNOWN") for rule_id in ("EAR-TABLE-01", "BAK-TABLE-02") for u in tables
    }


def test_one_call_per_table() -> None:
    with mock_aws():
        seed()
        # A second region-mate with no KMS key: no extra alias listing for eu-west-1.
        create("us-east-1", "audit")
        create("eu-west-1", "notes")
        counter = CallCounter()
        scan(["dynamodb"], counter=counter)
    assert counter.counts["dynamodb.ListTables"] == 2
    assert counter.counts["dynamodb.DescribeTable"] == 5
    assert counter.counts["dynamodb.DescribeContinuousBackups"] == 5
    assert counter.counts["dynamodb.ListTagsOfResource"] == 5
    assert counter.counts["kms.ListAliases"] == 2  # once per region with a KMS table


def test_no_alias_listing_without_kms_tables() -> None:
    with mock_aws():
        create("us-east-1", "plain")
        counter = CallCounter()
        scan(["dynamodb"], regions=("us-east-1",), counter=counter)
    assert counter.counts["kms.ListAliases"] == 0


def test_key_type_helper() -> None:
    managed = frozenset({"1111"})
    arn = "arn:aws:kms:us-east-1:123456789012:key/"
    assert key_type(None, managed) is TableKeyType.AWS_OWNED
    assert key_type({"Status": "DISABLED", "SSEType": "KMS"}, managed) is TableKeyType.AWS_OWNED
    kms = {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": f"{arn}1111"}
    assert key_type(kms, managed) is TableKeyType.AWS_MANAGED
    assert key_type(kms, None) is None
    other = {**kms, "KMSMasterKeyArn": "arn:aws:kms:us-east-1:210987654321:key/2222"}
    assert key_type(other, managed) is TableKeyType.CUSTOMER_MANAGED
