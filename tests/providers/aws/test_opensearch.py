"""OpenSearch collector under moto: encryption, TLS policy, network placement, audit logs.

moto keeps every option judged here and answers DescribeDomains for several names at
once, as OpenSearch does (at most five per call). Near misses on the access policy: a
``Principal *`` statement pinned by ``aws:SourceIp`` to a private range or by
``aws:SourceAccount`` is not public; one for ``arn:aws:iam::*:root`` (every account) or
``{"AWS": "*"}`` is; a domain in a VPC is not internet-public whatever its policy.
A malformed policy document cannot be stored in moto: it is answered through a canned
DescribeDomains reply.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.policy import Statement, is_wildcard_principal
from providers.aws.services.opensearch import search_tls_version
from providers.base import CallCounter
from tests.providers.aws.helpers import ACCOUNT, by_uid, canned, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
RULES = ("EAR-SEARCH-01", "EIT-SEARCH-01", "EIT-SEARCH-02", "PUB-SEARCH-01", "LOG-SEARCH-01")
P, F, U = "PASS", "FAIL", "UNKNOWN"
AUDIT = f"arn:aws:logs:{US}:{ACCOUNT}:log-group:/search/audit"


def arn(region: str, name: str) -> str:
    return f"arn:aws:es:{region}:{ACCOUNT}:domain/{name}"


def policy(name: str, principal: Any, **condition: Any) -> str:
    statement: dict[str, Any] = {
        "Sid": "Search",
        "Effect": "Allow",
        "Principal": principal,
        "Action": "es:ESHttp*",
        "Resource": f"{arn(US, name)}/*",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


HARDENED: dict[str, Any] = {
    "EncryptionAtRestOptions": {"Enabled": True},
    "NodeToNodeEncryptionOptions": {"Enabled": True},
    "DomainEndpointOptions": {
        "EnforceHTTPS": True,
        "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07",
    },
    "LogPublishingOptions": {"AUDIT_LOGS": {"CloudWatchLogsLogGroupArn": AUDIT, "Enabled": True}},
}
# Seven domains in us-east-1: DescribeDomains must be called in two batches (5 + 2).
POLICIES = {
    "pinned-ip": ({"AWS": "*"}, {"IpAddress": {"aws:SourceIp": ["10.1.0.0/16"]}}),
    "pinned-account": ("*", {"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
    "any-account-root": ({"AWS": "arn:aws:iam::*:root"}, {}),
    "open-aws-star": ({"AWS": "*"}, {}),
    "whole-internet-ip": ("*", {"IpAddress": {"aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"]}}),
    "named-role": ({"AWS": f"arn:aws:iam::{ACCOUNT}:role/search"}, {}),
}
PUBLIC = {"any-account-root", "open-aws-star", "whole-internet-ip"}


def seed() -> None:
    us = boto3.client("opensearch", US)
    for name, (principal, condition) in POLICIES.items():
        us.create_domain(
            DomainName=name,
            EngineVersion="OpenSearch_2.11",
            AccessPolicies=policy(name, principal, **condition),
            **HARDENED,
        )
    # In a VPC: no internet endpoint, so its open policy does not make it public.
    us.create_domain(
        DomainName="in-vpc",
        EngineVersion="OpenSearch_2.11",
        VPCOptions={"SubnetIds": ["subnet-0abc"], "SecurityGroupIds": ["sg-0abc"]},
        AccessPolicies=policy("in-vpc", {"AWS": "*"}),
        TagList=[{"Key": "data-class", "Value": "phi"}],
        **HARDENED,
    )
    # Legacy Elasticsearch in eu-west-1: nothing turned on, TLS 1.0 allowed, no policy.
    boto3.client("opensearch", EU).create_domain(
        DomainName="legacy", EngineVersion="Elasticsearch_7.10"
    )


@pytest.fixture(scope="module")
def domains() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        env.delenv("AWS_PROFILE", raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        with mock_aws():
            seed()
            yield


def expected() -> set[tuple[str, str, str]]:
    result: set[tuple[str, str, str]] = set()
    for name in (*POLICIES, "in-vpc"):
        uid = arn(US, name)
        result |= {(r, uid, P) for r in RULES if r != "PUB-SEARCH-01"}
        result.add(("PUB-SEARCH-01", uid, F if name in PUBLIC else P))
    # No policy at all: the domain answers nobody, so it is not public.
    result |= {(r, arn(EU, "legacy"), F) for r in RULES if r != "PUB-SEARCH-01"}
    result.add(("PUB-SEARCH-01", arn(EU, "legacy"), P))
    return result


def test_exact_outcomes_facts_and_batched_calls(domains: None) -> None:
    counter = CallCounter()
    snapshot = scan(["opensearch"], counter=counter)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == expected()
    found = by_uid(snapshot, "search.domain")
    vpc = found[arn(US, "in-vpc")]
    assert (vpc.props.in_vpc, vpc.props.public_policy_statements) == (True, ("Search",))
    assert vpc.tags == {"data-class": "phi"}
    legacy = found[arn(EU, "legacy")].props
    assert (legacy.tls_policy, legacy.min_tls_version, legacy.has_access_policy) == (
        "Policy-Min-TLS-1-0-2019-07",
        "1.0",
        False,
    )
    assert {k: v for k, v in counter.counts.items() if k.startswith("opensearch")} == {
        "opensearch.ListDomainNames": 2,
        "opensearch.DescribeDomains": 3,  # 7 names in us-east-1 (5 + 2), 1 in eu-west-1
        "opensearch.ListTags": 8,
    }


def test_denied_tags_keep_domains_in_phi_scope(domains: None) -> None:
    with failing("opensearch.ListTags"):
        snapshot = scan(["opensearch"], regions=(EU,))
    (legacy,) = snapshot.resources
    assert legacy.tags is None
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("ListTags", arn(EU, "legacy"))
    }
    # Tags unread: still judged under a PHI tag filter (fails closed).
    got = outcomes(snapshot, ["EAR-SEARCH-01"], phi_tags=(("data-class", "phi"),))
    assert got == {("EAR-SEARCH-01", arn(EU, "legacy"), F)}


def test_denied_describe_is_a_listing_gap(domains: None) -> None:
    with failing("opensearch.DescribeDomains"):
        snapshot = scan(["opensearch"], regions=(EU,))
    scope = f"aws/{ACCOUNT}/{EU}/search.domain"
    assert outcomes(snapshot, RULES) == {(r, scope, U) for r in RULES}


def test_malformed_policy_is_a_gap_and_unknown(domains: None) -> None:
    status = {
        "DomainId": f"{ACCOUNT}/odd",
        "DomainName": "odd",
        "ARN": arn(EU, "odd"),
        "ClusterConfig": {},
        "AccessPolicies": '{"Statement": "not a list"}',
        **HARDENED,
    }
    with canned("opensearch.DescribeDomains", {"DomainStatusList": [status]}):
        snapshot = scan(["opensearch"], regions=(EU,))
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeDomains", "MalformedPolicy", arn(EU, "odd"))
    }
    got = outcomes(snapshot, ["PUB-SEARCH-01", "EAR-SEARCH-01"])
    assert got == {("PUB-SEARCH-01", arn(EU, "odd"), U), ("EAR-SEARCH-01", arn(EU, "odd"), P)}


@pytest.mark.parametrize(
    ("policy_name", "version"),
    [
        ("Policy-Min-TLS-1-0-2019-07", "1.0"),
        ("Policy-Min-TLS-1-2-2019-07", "1.2"),
        ("Policy-Min-TLS-1-2-PFS-2023-10", "1.2"),
        ("Policy-Min-TLS-1-2-RFC9151-FIPS-2023-04", "1.2"),
        ("Policy-Something-Else", None),
        (None, None),
    ],
)
def test_tls_policy_names(policy_name: str | None, version: str | None) -> None:
    assert search_tls_version(policy_name) == version


@pytest.mark.parametrize(
    ("principal", "anyone"),
    [
        ("arn:aws:iam::*:root", True),
        ("arn:aws:iam::*:*", True),
        ("arn:*:iam::*:root", True),
        ("arn:aws-us-gov:iam::*:root", True),
        ("arn:aws:iam::1234567890?2:root", False),
        ("arn:aws:iam::123456789012:*", False),
        ("arn:aws:iam::123456789012:root", False),
    ],
)
def test_principal_patterns_judged_by_the_accounts_they_match(principal: str, anyone: bool) -> None:
    stmt = Statement(0, "", "Allow", (("AWS", principal),), (), ("*",), (), ("*",), ())
    assert is_wildcard_principal(stmt) is anyone
