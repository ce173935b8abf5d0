"""Rule tests for group D's kinds: API stages and domains, search domains, caches, ML.

Hand-built facts give each rule PASS, FAIL and UNKNOWN (and not-applicable where a
protocol or engine cannot have the control), including states moto cannot produce: a
stage whose settings were not read, a cache in the ``preferred`` transit mode, a domain
in a VPC, an unknown TLS policy name. Fact types round-trip through the serialiser.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from scanner.kinds.data_api import (
    ApiDomain,
    ApiStage,
    CacheCluster,
    MlEndpointConfig,
    MlNotebook,
    SearchDomain,
)
from scanner.model import Resource
from scanner.serde import from_json, to_json
from tests.rules.support import aws_resource, findings_of, snapshot_of

STAGE = ApiStage(
    api_id="a1",
    api_name="patients",
    protocol="rest",
    stage_name="prod",
    private=False,
    access_logging=True,
    access_log_destination="arn:aws:logs:us-east-1:123456789012:log-group:api",
    execution_log_supported=True,
    execution_logging=True,
    execution_log_level="INFO",
    waf_supported=True,
    waf_acl="arn:aws:wafv2:us-east-1:123456789012:regional/webacl/w/1",
)
HTTP_STAGE = dataclasses.replace(
    STAGE,
    protocol="http",
    execution_log_supported=False,
    execution_logging=None,
    execution_log_level=None,
    waf_supported=False,
    waf_acl=None,
)
DOMAIN = ApiDomain(
    domain_name="api.example.org",
    endpoint_types=("REGIONAL",),
    security_policy="TLS_1_2",
    min_tls_version="1.2",
)
SEARCH = SearchDomain(
    engine_version="OpenSearch_2.11",
    encrypted_at_rest=True,
    kms_key_id=None,
    node_to_node_encryption=True,
    https_enforced=True,
    tls_policy="Policy-Min-TLS-1-2-2019-07",
    min_tls_version="1.2",
    in_vpc=False,
    has_access_policy=True,
    public_policy_statements=(),
    audit_logs_enabled=True,
    audit_log_destination="arn:aws:logs:us-east-1:123456789012:log-group:audit",
)
CACHE = CacheCluster(
    engine="redis",
    engine_version="7.1",
    encrypted_in_transit=True,
    transit_encryption_mode="required",
    encrypted_at_rest=True,
    at_rest_supported=True,
    kms_key_id=None,
    auth_mode="token",
    persistent=True,
    backup_retention_days=7,
)
MEMCACHED = dataclasses.replace(
    CACHE,
    engine="memcached",
    encrypted_at_rest=False,
    at_rest_supported=False,
    auth_mode="none",
    persistent=False,
    backup_retention_days=None,
)
NOTEBOOK = MlNotebook(
    described=True,
    kms_key_id="arn:aws:kms:us-east-1:123456789012:key/k",
    direct_internet_access=False,
    root_access=False,
    subnet_id="subnet-1",
)
ENDPOINT = MlEndpointConfig(described=True, kms_key_id="arn:aws:kms:us-east-1:123456789012:key/k")


def outcome(rule_id: str, props: Any, **changes: Any) -> str:
    """The status one rule gives (``N/A`` for no finding) on `props` with `changes`."""
    changed = dataclasses.replace(props, **changes) if changes else props
    resource = aws_resource(f"arn:aws:test:::{props.KIND}/x", "AWS::Test::Thing", "x", changed)
    findings = findings_of(rule_id, snapshot_of((resource,)))
    if not findings:
        return "N/A"
    (finding,) = findings
    return finding.status.value


CASES = [
    # API stages: access logs on every protocol; execution logs and WAF where they exist.
    ("LOG-APISTAGE-01", STAGE, {}, "PASS"),
    ("LOG-APISTAGE-01", STAGE, {"access_logging": False, "access_log_destination": None}, "FAIL"),
    ("LOG-APISTAGE-01", STAGE, {"access_logging": None}, "UNKNOWN"),
    ("LOG-APISTAGE-01", HTTP_STAGE, {"access_logging": False}, "FAIL"),
    ("LOG-APISTAGE-02", STAGE, {}, "PASS"),
    ("LOG-APISTAGE-02", STAGE, {"execution_logging": False, "execution_log_level": "OFF"}, "FAIL"),
    ("LOG-APISTAGE-02", STAGE, {"execution_logging": None}, "UNKNOWN"),
    ("LOG-APISTAGE-02", HTTP_STAGE, {}, "N/A"),
    ("PUB-APISTAGE-01", STAGE, {}, "PASS"),
    ("PUB-APISTAGE-01", STAGE, {"waf_acl": ""}, "FAIL"),
    ("PUB-APISTAGE-01", STAGE, {"waf_acl": None}, "UNKNOWN"),
    ("PUB-APISTAGE-01", STAGE, {"private": None, "waf_acl": ""}, "UNKNOWN"),
    # A private API has no internet face to shield; HTTP APIs cannot take a web ACL.
    ("PUB-APISTAGE-01", STAGE, {"private": True, "waf_acl": ""}, "N/A"),
    ("PUB-APISTAGE-01", HTTP_STAGE, {}, "N/A"),
    ("EIT-APIDOMAIN-01", DOMAIN, {}, "PASS"),
    ("EIT-APIDOMAIN-01", DOMAIN, {"min_tls_version": "1.3"}, "PASS"),
    ("EIT-APIDOMAIN-01", DOMAIN, {"security_policy": "TLS_1_0", "min_tls_version": "1.0"}, "FAIL"),
    ("EIT-APIDOMAIN-01", DOMAIN, {"security_policy": None, "min_tls_version": None}, "UNKNOWN"),
    ("EIT-APIDOMAIN-01", DOMAIN, {"security_policy": "Future", "min_tls_version": None}, "UNKNOWN"),
    # Search domains.
    ("EAR-SEARCH-01", SEARCH, {}, "PASS"),
    ("EAR-SEARCH-01", SEARCH, {"encrypted_at_rest": False}, "FAIL"),
    ("EAR-SEARCH-01", SEARCH, {"encrypted_at_rest": None}, "UNKNOWN"),
    ("EIT-SEARCH-01", SEARCH, {}, "PASS"),
    ("EIT-SEARCH-01", SEARCH, {"node_to_node_encryption": False}, "FAIL"),
    ("EIT-SEARCH-01", SEARCH, {"node_to_node_encryption": None}, "UNKNOWN"),
    ("EIT-SEARCH-02", SEARCH, {}, "PASS"),
    ("EIT-SEARCH-02", SEARCH, {"https_enforced": False}, "FAIL"),
    # HTTPS enforced is not enough: the policy still lets TLS 1.0 through.
    ("EIT-SEARCH-02", SEARCH, {"min_tls_version": "1.0"}, "FAIL"),
    # A definite failure stands even when the other half is unknown.
    ("EIT-SEARCH-02", SEARCH, {"https_enforced": False, "min_tls_version": None}, "FAIL"),
    ("EIT-SEARCH-02", SEARCH, {"min_tls_version": None}, "UNKNOWN"),
    ("EIT-SEARCH-02", SEARCH, {"https_enforced": None}, "UNKNOWN"),
    ("PUB-SEARCH-01", SEARCH, {}, "PASS"),
    ("PUB-SEARCH-01", SEARCH, {"public_policy_statements": ("#0",)}, "FAIL"),
    ("PUB-SEARCH-01", SEARCH, {"public_policy_statements": None}, "UNKNOWN"),
    # Inside a VPC there is no internet endpoint, whatever the policy says.
    ("PUB-SEARCH-01", SEARCH, {"in_vpc": True, "public_policy_statements": ("#0",)}, "PASS"),
    ("PUB-SEARCH-01", SEARCH, {"in_vpc": None}, "UNKNOWN"),
    ("LOG-SEARCH-01", SEARCH, {}, "PASS"),
    ("LOG-SEARCH-01", SEARCH, {"audit_logs_enabled": False}, "FAIL"),
    ("LOG-SEARCH-01", SEARCH, {"audit_logs_enabled": None}, "UNKNOWN"),
    # Caches.
    ("EAR-CACHE-01", CACHE, {}, "PASS"),
    ("EAR-CACHE-01", CACHE, {"encrypted_at_rest": False}, "FAIL"),
    ("EAR-CACHE-01", CACHE, {"encrypted_at_rest": None}, "UNKNOWN"),
    ("EAR-CACHE-01", MEMCACHED, {}, "FAIL"),
    ("EIT-CACHE-01", CACHE, {}, "PASS"),
    ("EIT-CACHE-01", CACHE, {"encrypted_in_transit": False}, "FAIL"),
    (
        "EIT-CACHE-01",
        CACHE,
        {"encrypted_in_transit": False, "transit_encryption_mode": "preferred"},
        "FAIL",
    ),
    ("EIT-CACHE-01", CACHE, {"encrypted_in_transit": None}, "UNKNOWN"),
    ("IAM-CACHE-01", CACHE, {}, "PASS"),
    ("IAM-CACHE-01", CACHE, {"auth_mode": "rbac"}, "PASS"),
    ("IAM-CACHE-01", CACHE, {"auth_mode": "none"}, "FAIL"),
    ("IAM-CACHE-01", CACHE, {"auth_mode": None}, "UNKNOWN"),
    ("IAM-CACHE-01", MEMCACHED, {}, "FAIL"),
    ("BAK-CACHE-01", CACHE, {}, "PASS"),
    ("BAK-CACHE-01", CACHE, {"backup_retention_days": 0}, "FAIL"),
    ("BAK-CACHE-01", CACHE, {"backup_retention_days": None}, "UNKNOWN"),
    ("BAK-CACHE-01", MEMCACHED, {}, "N/A"),
    # ML notebooks and endpoint configurations.
    ("EAR-NOTEBOOK-01", NOTEBOOK, {}, "PASS"),
    ("EAR-NOTEBOOK-01", NOTEBOOK, {"kms_key_id": None}, "FAIL"),
    ("EAR-NOTEBOOK-01", NOTEBOOK, {"described": False, "kms_key_id": None}, "UNKNOWN"),
    ("PUB-NOTEBOOK-01", NOTEBOOK, {}, "PASS"),
    ("PUB-NOTEBOOK-01", NOTEBOOK, {"direct_internet_access": True}, "FAIL"),
    ("PUB-NOTEBOOK-01", NOTEBOOK, {"direct_internet_access": None}, "UNKNOWN"),
    ("IAM-NOTEBOOK-01", NOTEBOOK, {}, "PASS"),
    ("IAM-NOTEBOOK-01", NOTEBOOK, {"root_access": True}, "FAIL"),
    ("IAM-NOTEBOOK-01", NOTEBOOK, {"root_access": None}, "UNKNOWN"),
    ("EAR-MLENDPOINT-01", ENDPOINT, {}, "PASS"),
    ("EAR-MLENDPOINT-01", ENDPOINT, {"kms_key_id": None}, "FAIL"),
    ("EAR-MLENDPOINT-01", ENDPOINT, {"described": False, "kms_key_id": None}, "UNKNOWN"),
]


@pytest.mark.parametrize(("rule_id", "props", "changes", "status"), CASES)
def test_rule_outcome(rule_id: str, props: Any, changes: dict[str, Any], status: str) -> None:
    assert outcome(rule_id, props, **changes) == status


def test_every_group_rule_has_pass_fail_and_unknown_cases() -> None:
    seen: dict[str, set[str]] = {}
    for rule_id, _, _, status in CASES:
        seen.setdefault(rule_id, set()).add(status)
    assert {r: {"PASS", "FAIL", "UNKNOWN"} <= s for r, s in seen.items()} == dict.fromkeys(
        seen, True
    )
    assert len(seen) == 17


def test_evidence_names_the_deciding_facts_and_no_secret() -> None:
    resource = aws_resource(
        "arn:aws:es:us-east-1:123456789012:domain/d",
        "AWS::OpenSearchService::Domain",
        "d",
        dataclasses.replace(
            SEARCH,
            https_enforced=False,
            min_tls_version="1.0",
            tls_policy="Policy-Min-TLS-1-0-2019-07",
        ),
    )
    (finding,) = findings_of("EIT-SEARCH-02", snapshot_of((resource,)))
    assert finding.message == (
        "Search domain d accepts plain HTTP and accepts TLS 1.0 (Policy-Min-TLS-1-0-2019-07)."
    )
    assert dict(finding.evidence) == {
        "https_enforced": False,
        "tls_policy": "Policy-Min-TLS-1-0-2019-07",
        "min_tls_version": "1.0",
    }


def test_phi_scope_limits_the_rules_to_tagged_resources() -> None:
    tagged = aws_resource("arn:t:1", "AWS::Test::Thing", "phi", NOTEBOOK, tags={"phi": "yes"})
    other = aws_resource("arn:t:2", "AWS::Test::Thing", "other", NOTEBOOK, tags={})
    unread: Resource[Any] = dataclasses.replace(
        aws_resource("arn:t:3", "AWS::Test::Thing", "unread", NOTEBOOK), tags=None
    )
    findings = findings_of(
        "PUB-NOTEBOOK-01", snapshot_of((tagged, other, unread)), phi_tags=(("phi", "yes"),)
    )
    # Tags that could not be read keep a resource in scope (fail closed).
    assert {f.resource.uid for f in findings} == {"arn:t:1", "arn:t:3"}


@pytest.mark.parametrize("props", [STAGE, HTTP_STAGE, DOMAIN, SEARCH, CACHE, NOTEBOOK, ENDPOINT])
def test_facts_round_trip_through_the_snapshot(props: Any) -> None:
    assert from_json(type(props), to_json(props), "props") == props


UNLISTED = dataclasses.replace(
    STAGE,
    stage_name="*",
    access_logging=None,
    access_log_destination=None,
    execution_logging=None,
    execution_log_level=None,
    waf_acl=None,
    unlisted=True,
)


@pytest.mark.parametrize("rule_id", ["LOG-APISTAGE-01", "LOG-APISTAGE-02", "PUB-APISTAGE-01"])
@pytest.mark.parametrize(
    "props",
    # The stand-in as collected, and one whose facts would pass: it is never judged.
    [UNLISTED, dataclasses.replace(STAGE, unlisted=True)],
)
def test_the_stand_in_for_unlisted_stages_is_unknown(rule_id: str, props: ApiStage) -> None:
    resource = aws_resource("arn:aws:apigateway:us-east-1::/restapis/a1/stages/*", "t", "x", props)
    (finding,) = findings_of(rule_id, snapshot_of((resource,)))
    assert (finding.status.value, finding.evidence.get("unlisted")) == ("UNKNOWN", True)
    assert "API patients: its stages could not be listed" in finding.message


def test_the_stand_in_of_a_private_api_is_not_judged_for_a_firewall() -> None:
    assert outcome("PUB-APISTAGE-01", UNLISTED, private=True) == "N/A"
