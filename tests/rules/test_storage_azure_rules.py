"""Unit tests for the Azure-only storage-account rules, on hand-built facts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from rules.encryption_in_transit.storage_azure import tls_version
from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.azure import AzureStorageDetail
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import Resource, Scope, Snapshot, Status
from tests.rules.support import rule_by_id

SUB = "1111aaaa-0000-4000-8000-00000000000a"
GOOD = AzureStorageDetail(
    https_only=True,
    minimum_tls_version="TLS1_2",
    allow_blob_public_access=False,
    public_containers=(),
    public_network_access="Enabled",
    network_default_action="Deny",
    allow_shared_key_access=False,
    key_source="Microsoft.Keyvault",
    infrastructure_encryption=True,
    replication="Standard_GZRS",
    geo_redundant=True,
    blob_soft_delete=True,
    blob_soft_delete_days=14,
    container_soft_delete=True,
    container_soft_delete_days=7,
    log_categories=("audit",),
    network_ip_rules=("203.0.113.0/24",),
)


def account(
    detail: AzureStorageDetail | None,
    *,
    public: bool | None = False,
    grants: tuple[str, ...] | None = (),
) -> Resource[Any]:
    props = Bucket(
        encryption=BucketEncryption(enabled=True),
        tls_required=True,
        public_acl_grants=grants,
        acl_public=public,
        public=public,
        azure=detail,
    )
    return Resource(
        uid=f"/subscriptions/{SUB}/resourcegroups/rg/providers/"
        "microsoft.storage/storageaccounts/acct",
        provider="azure",
        kind=Bucket.KIND,
        native_type="Microsoft.Storage/storageAccounts",
        account=SUB,
        region="eastus",
        name="acct",
        props=props,
    )


def status(rule_id: str, resource: Resource[Any], **params: Any) -> Status:
    snapshot = Snapshot(
        tool_version="test",
        scope=Scope("azure", (SUB,), ("global",)),
        started_at="",
        finished_at="",
        resources=(resource,),
        gaps=(),
    )
    config = EvaluationConfig(params={rule_id: params})
    (finding,) = evaluate([snapshot], [rule_by_id(rule_id)], config).findings
    return finding.status


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("TLS1_2", (1, 2)),
        ("TLS1_0", (1, 0)),
        ("1.2", (1, 2)),
        ("Tls12", (1, 2)),
        ("TLS1_3", (1, 3)),
        (None, None),
        ("weird", None),
    ],
)
def test_tls_versions_in_every_spelling_arm_uses(value: str | None, parsed: Any) -> None:
    assert tls_version(value) == parsed


@pytest.mark.parametrize(
    ("rule_id", "bad", "unknown"),
    [
        ("EIT-AZSTORAGE-01", {"minimum_tls_version": "TLS1_1"}, {"minimum_tls_version": "x"}),
        (
            "PUB-AZSTORAGE-02",
            {"public_network_access": "Enabled", "network_default_action": "Allow"},
            {"network_default_action": None},
        ),
        # A Deny firewall whose IP rules add up to the internet; unreadable IP rules.
        (
            "PUB-AZSTORAGE-02",
            {"network_ip_rules": ("0.0.0.0/1", "128.0.0.0/1")},
            {"network_ip_rules": None},
        ),
        ("IAM-AZSTORAGE-01", {"allow_shared_key_access": True}, {"allow_shared_key_access": None}),
        (
            "EAR-AZSTORAGE-01",
            {"infrastructure_encryption": False},
            {"infrastructure_encryption": None},
        ),
        ("EAR-AZSTORAGE-02", {"key_source": "Microsoft.Storage"}, {"key_source": None}),
        (
            "BAK-AZSTORAGE-01",
            {"container_soft_delete": False, "container_soft_delete_days": None},
            {"blob_soft_delete": None},
        ),
        (
            "BAK-AZSTORAGE-02",
            {"geo_redundant": False, "replication": "Standard_LRS"},
            {"geo_redundant": None},
        ),
    ],
)
def test_detail_rules_pass_fail_and_unknown(
    rule_id: str, bad: dict[str, Any], unknown: dict[str, Any]
) -> None:
    assert status(rule_id, account(GOOD)) is Status.PASS
    assert status(rule_id, account(replace(GOOD, **bad))) is Status.FAIL
    assert status(rule_id, account(replace(GOOD, **unknown))) is Status.UNKNOWN


def test_public_network_disabled_passes_whatever_the_default_action() -> None:
    detail = replace(GOOD, public_network_access="Disabled", network_default_action="Allow")
    assert status("PUB-AZSTORAGE-02", account(detail)) is Status.PASS


def test_soft_delete_shorter_than_the_parameter_fails() -> None:
    assert status("BAK-AZSTORAGE-01", account(GOOD), minimum_days=10) is Status.FAIL
    assert status("BAK-AZSTORAGE-01", account(GOOD), minimum_days=7) is Status.PASS


def test_minimum_tls_parameter_can_ask_for_1_3() -> None:
    assert status("EIT-AZSTORAGE-01", account(GOOD), minimum="1.3") is Status.FAIL


def test_anonymous_access_judges_the_switch_and_the_containers() -> None:
    allowed = replace(GOOD, allow_blob_public_access=True)
    assert (
        status("PUB-AZSTORAGE-01", account(allowed, public=True, grants=("site:Blob",)))
        is Status.FAIL
    )
    # Neutralised by the account switch: passes, and the evidence still names it.
    snapshot = Snapshot(
        tool_version="t",
        scope=Scope("azure", (SUB,), ("global",)),
        started_at="",
        finished_at="",
        resources=(account(GOOD, public=False, grants=("old:Container",)),),
        gaps=(),
    )
    (finding,) = evaluate([snapshot], [rule_by_id("PUB-AZSTORAGE-01")], EvaluationConfig()).findings
    assert finding.status is Status.PASS
    assert finding.evidence["public_containers"] == ["old:Container"]
    assert status("PUB-AZSTORAGE-01", account(allowed, public=None, grants=None)) is Status.UNKNOWN


def test_aws_buckets_are_not_judged_by_azure_rules() -> None:
    aws = replace(account(None), provider="aws", native_type="AWS::S3::Bucket")
    snapshot = Snapshot(
        tool_version="t",
        scope=Scope("aws", ("123456789012",), ("us-east-1",)),
        started_at="",
        finished_at="",
        resources=(aws,),
        gaps=(),
    )
    assert evaluate([snapshot], [rule_by_id("EIT-AZSTORAGE-01")], EvaluationConfig()).findings == ()


def test_neutral_bucket_rules_judge_azure_storage_accounts() -> None:
    from scanner.kinds.storage import AccessLogging

    base = account(GOOD)
    https_off = replace(base, props=replace(base.props, tls_required=False))
    assert status("EIT-BUCKET-01", base) is Status.PASS
    assert status("EIT-BUCKET-01", https_off) is Status.FAIL
    logged = replace(base, props=replace(base.props, access_logging=AccessLogging(True, "ws")))
    assert status("LOG-BUCKET-01", logged) is Status.PASS
    assert status("LOG-BUCKET-01", base) is Status.UNKNOWN  # diagnostics unreadable
    versioned = replace(base, props=replace(base.props, versioning_enabled=True))
    assert status("BAK-BUCKET-01", versioned) is Status.PASS
    off = replace(base, props=replace(base.props, versioning_enabled=False))
    assert status("BAK-BUCKET-01", off) is Status.FAIL
    assert status("BAK-BUCKET-01", base) is Status.UNKNOWN


def test_secure_transfer_failure_names_the_setting_not_a_bucket_policy() -> None:
    base = account(GOOD)
    https_off = replace(base, props=replace(base.props, tls_required=False))
    snapshot = Snapshot(
        tool_version="t",
        scope=Scope("azure", (SUB,), ("global",)),
        started_at="",
        finished_at="",
        resources=(https_off,),
        gaps=(),
    )
    (finding,) = evaluate([snapshot], [rule_by_id("EIT-BUCKET-01")], EvaluationConfig()).findings
    assert "secure-transfer setting is off" in finding.message
