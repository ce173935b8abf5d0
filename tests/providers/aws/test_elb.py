"""ELB collectors (ELBv2 and classic) and the load-balancer rules, end to end under moto.

moto limits met here (ELBv2 and classic ELB are otherwise well covered):
* HTTP listeners report an ``SslPolicy`` too: the collector checks the protocol first.
* ``access_logs.s3.enabled`` is left out of ``DescribeLoadBalancerAttributes`` until set.
* A classic HTTPS listener created without a policy has no ``PolicyNames`` (AWS attaches
  the default policy), and a classic ``SSLNegotiationPolicyType`` policy created with a
  ``Reference-Security-Policy`` lists no ``Protocol-*`` attributes; the known-policy table
  in `providers.aws.tls_policies` answers both, and the real-AWS attribute form is
  covered by the pure-helper tests below.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws import tls_policies
from providers.aws.services.elb import (
    classic_listener_policy,
    default_action,
    interpret_classic_listener,
    interpret_v2_listener,
)
from providers.base import CallCounter
from scanner.kinds.delivery import ClassicLoadBalancer, LoadBalancer
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

RULES = ("EIT-LB-01", "EIT-LB-02", "LOG-LB-01", "BAK-LB-01")
MODERN = "ELBSecurityPolicy-TLS13-1-2-2021-06"


def classic_uid(region: str, name: str) -> str:
    return f"arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:loadbalancer/{name}"


def _network(region: str) -> tuple[str, list[str]]:
    ec2 = boto3.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{zone}"
        )["Subnet"]["SubnetId"]
        for i, zone in enumerate("ab", start=1)
    ]
    return vpc, subnets


def _cert(region: str) -> str:
    acm = boto3.client("acm", region_name=region)
    return str(acm.request_certificate(DomainName="phi.example.com")["CertificateArn"])


def _forward(elbv2: Any, vpc: str, name: str, protocol: str = "HTTP") -> list[dict[str, Any]]:
    tg = elbv2.create_target_group(Name=name, Protocol=protocol, Port=80, VpcId=vpc)
    return [{"Type": "forward", "TargetGroupArn": tg["TargetGroups"][0]["TargetGroupArn"]}]


REDIRECT = [
    {
        "Type": "redirect",
        "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
    }
]
FIXED = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]


def seed() -> dict[str, str]:
    """Three ELBv2 and two classic load balancers over two regions; returns uids by name."""
    uids: dict[str, str] = {}
    # us-east-1: a bad ALB, a good ALB (decoys: HTTP->HTTPS redirect, fixed response,
    # TLS 1.2+ policy), a bad classic ELB.
    vpc, subnets = _network("us-east-1")
    cert = _cert("us-east-1")
    elbv2 = boto3.client("elbv2", region_name="us-east-1")
    bad = elbv2.create_load_balancer(
        Name="alb-bad", Subnets=subnets, Tags=[{"Key": "phi", "Value": "yes"}]
    )
    uids["alb-bad"] = arn = bad["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.create_listener(
        LoadBalancerArn=arn, Protocol="HTTP", Port=80, DefaultActions=_forward(elbv2, vpc, "tg-bad")
    )
    elbv2.create_listener(
        LoadBalancerArn=arn,
        Protocol="HTTPS",
        Port=443,  # default policy
        Certificates=[{"CertificateArn": cert}],
        DefaultActions=_forward(elbv2, vpc, "tg-bad2"),
    )
    good = elbv2.create_load_balancer(Name="alb-good", Subnets=subnets)
    uids["alb-good"] = arn = good["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.create_listener(LoadBalancerArn=arn, Protocol="HTTP", Port=80, DefaultActions=REDIRECT)
    elbv2.create_listener(LoadBalancerArn=arn, Protocol="HTTP", Port=8080, DefaultActions=FIXED)
    elbv2.create_listener(
        LoadBalancerArn=arn,
        Protocol="HTTPS",
        Port=443,
        SslPolicy=MODERN,
        Certificates=[{"CertificateArn": cert}],
        DefaultActions=_forward(elbv2, vpc, "tg-good"),
    )
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arn,
        Attributes=[
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": "lb-logs"},
            {"Key": "deletion_protection.enabled", "Value": "true"},
        ],
    )
    # Item 9: defaults that never forward, but a rule that does (the reported case), and
    # a rule that forwards after an authenticate step; decoy: rules that only redirect.
    ruled = {}
    for name in ("alb-rule-forwards", "alb-rule-redirects"):
        made = elbv2.create_load_balancer(Name=name, Subnets=subnets)
        uids[name] = arn = made["LoadBalancers"][0]["LoadBalancerArn"]
        ruled[name] = elbv2.create_listener(
            LoadBalancerArn=arn,
            Protocol="HTTP",
            Port=80,
            DefaultActions=REDIRECT if name.endswith("forwards") else FIXED,
        )["Listeners"][0]["ListenerArn"]
    elbv2.create_rule(
        ListenerArn=ruled["alb-rule-forwards"],
        Priority=10,
        Conditions=[{"Field": "path-pattern", "Values": ["/legacy/*"]}],
        Actions=_forward(elbv2, vpc, "tg-legacy"),
    )
    elbv2.create_rule(
        ListenerArn=ruled["alb-rule-redirects"],
        Priority=10,
        Conditions=[{"Field": "path-pattern", "Values": ["/old/*"]}],
        Actions=REDIRECT,
    )
    elb = boto3.client("elb", region_name="us-east-1")
    elb.create_load_balancer(
        LoadBalancerName="clb-bad",
        AvailabilityZones=["us-east-1a"],
        Listeners=[
            {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80},
            {
                "Protocol": "HTTPS",
                "LoadBalancerPort": 443,
                "InstancePort": 80,
                "SSLCertificateId": cert,
            },
        ],
    )
    uids["clb-bad"] = classic_uid("us-east-1", "clb-bad")

    # eu-west-1: an NLB (TCP pass-through decoy; TLS listener with a TLS 1.1 policy) and a
    # good classic ELB (TLS 1.2 reference policy, access logs on).
    vpc, subnets = _network("eu-west-1")
    cert = _cert("eu-west-1")
    elbv2 = boto3.client("elbv2", region_name="eu-west-1")
    nlb = elbv2.create_load_balancer(Name="nlb", Subnets=subnets, Type="network")
    uids["nlb"] = arn = nlb["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.create_listener(
        LoadBalancerArn=arn,
        Protocol="TCP",
        Port=5432,
        DefaultActions=_forward(elbv2, vpc, "tg-tcp", "TCP"),
    )
    elbv2.create_listener(
        LoadBalancerArn=arn,
        Protocol="TLS",
        Port=443,
        SslPolicy="ELBSecurityPolicy-TLS-1-1-2017-01",
        Certificates=[{"CertificateArn": cert}],
        DefaultActions=_forward(elbv2, vpc, "tg-tls", "TCP"),
    )
    elb = boto3.client("elb", region_name="eu-west-1")
    elb.create_load_balancer(
        LoadBalancerName="clb-good",
        AvailabilityZones=["eu-west-1a"],
        Listeners=[
            {
                "Protocol": "HTTPS",
                "LoadBalancerPort": 443,
                "InstancePort": 80,
                "SSLCertificateId": cert,
            }
        ],
    )
    elb.create_load_balancer_policy(
        LoadBalancerName="clb-good",
        PolicyName="tls12",
        PolicyTypeName="SSLNegotiationPolicyType",
        PolicyAttributes=[
            {
                "AttributeName": "Reference-Security-Policy",
                "AttributeValue": "ELBSecurityPolicy-TLS-1-2-2017-01",
            }
        ],
    )
    elb.set_load_balancer_policies_of_listener(
        LoadBalancerName="clb-good", LoadBalancerPort=443, PolicyNames=["tls12"]
    )
    elb.modify_load_balancer_attributes(
        LoadBalancerName="clb-good",
        LoadBalancerAttributes={
            "AccessLog": {"Enabled": True, "S3BucketName": "lb-logs", "EmitInterval": 5}
        },
    )
    uids["clb-good"] = classic_uid("eu-west-1", "clb-good")
    return uids


@pytest.fixture
def estate() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield seed()


def expected(u: dict[str, str]) -> set[tuple[str, str, str]]:
    return {
        ("EIT-LB-01", u["alb-bad"], "FAIL"),
        ("EIT-LB-01", u["alb-good"], "PASS"),
        ("EIT-LB-01", u["alb-rule-forwards"], "FAIL"),
        ("EIT-LB-01", u["alb-rule-redirects"], "PASS"),
        *{
            (rule, u[name], "FAIL")
            for rule in ("LOG-LB-01", "BAK-LB-01")
            for name in ("alb-rule-forwards", "alb-rule-redirects")
        },
        ("EIT-LB-01", u["nlb"], "PASS"),
        ("EIT-LB-01", u["clb-bad"], "FAIL"),
        ("EIT-LB-01", u["clb-good"], "PASS"),
        ("EIT-LB-02", u["alb-bad"], "FAIL"),
        ("EIT-LB-02", u["alb-good"], "PASS"),
        ("EIT-LB-02", u["nlb"], "FAIL"),
        ("EIT-LB-02", u["clb-bad"], "FAIL"),
        ("EIT-LB-02", u["clb-good"], "PASS"),
        ("LOG-LB-01", u["alb-bad"], "FAIL"),
        ("LOG-LB-01", u["alb-good"], "PASS"),
        ("LOG-LB-01", u["nlb"], "FAIL"),
        ("LOG-LB-01", u["clb-bad"], "FAIL"),
        ("LOG-LB-01", u["clb-good"], "PASS"),
        # Classic ELBs have no deletion protection: a separate kind this rule does not target.
        ("BAK-LB-01", u["alb-bad"], "FAIL"),
        ("BAK-LB-01", u["alb-good"], "PASS"),
        ("BAK-LB-01", u["nlb"], "FAIL"),
    }


def test_scan_outcomes_across_regions(estate: dict[str, str]) -> None:
    snapshot = scan(["elb"])
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == expected(estate)


def test_facts(estate: dict[str, str]) -> None:
    snapshot = scan(["elb"])
    modern = by_uid(snapshot, LoadBalancer.KIND)
    classic = by_uid(snapshot, ClassicLoadBalancer.KIND)
    assert set(modern) == {
        estate[n] for n in ("alb-bad", "alb-good", "nlb", "alb-rule-forwards", "alb-rule-redirects")
    }
    (ruled,) = modern[estate["alb-rule-forwards"]].props.listeners
    assert (ruled.default_action, ruled.rule_actions, ruled.forwards_plaintext) == (
        "redirect-https",
        ("forward",),
        True,
    )
    assert set(classic) == {estate["clb-bad"], estate["clb-good"]}

    good = modern[estate["alb-good"]]
    assert good.region == "us-east-1" and good.name == "alb-good"
    assert good.native_type == "AWS::ElasticLoadBalancingV2::LoadBalancer"
    http, https, fixed = good.props.listeners  # ordered by port
    # moto reports an SslPolicy on HTTP listeners: it must not leak into the facts.
    assert (http.protocol, http.default_action, http.forwards_plaintext, http.ssl_policy) == (
        "HTTP",
        "redirect-https",
        False,
        None,
    )
    assert (fixed.default_action, fixed.forwards_plaintext) == ("fixed-response", False)
    assert (https.ssl_policy, https.tls_protocols, https.allows_legacy_tls) == (
        MODERN,
        ("TLSv1.2", "TLSv1.3"),
        False,
    )
    assert (good.props.access_logs_enabled, good.props.access_log_bucket) == (True, "lb-logs")
    assert good.props.deletion_protection is True

    bad = modern[estate["alb-bad"]]
    assert bad.tags == {"phi": "yes"}
    assert bad.props.access_logs_enabled is False and bad.props.deletion_protection is False
    assert bad.props.listeners[1].ssl_policy == "ELBSecurityPolicy-2016-08"
    assert bad.props.listeners[1].tls_protocols == ("TLSv1", "TLSv1.1", "TLSv1.2")

    nlb = modern[estate["nlb"]]
    assert nlb.props.lb_type == "network" and nlb.region == "eu-west-1"
    assert [(x.protocol, x.forwards_plaintext) for x in nlb.props.listeners] == [
        ("TLS", False),
        ("TCP", False),
    ]

    clb_bad = classic[estate["clb-bad"]]
    assert clb_bad.native_type == "AWS::ElasticLoadBalancing::LoadBalancer"
    assert [(x.protocol, x.forwards_plaintext, x.ssl_policy) for x in clb_bad.props.listeners] == [
        ("HTTP", True, None),
        ("HTTPS", False, tls_policies.DEFAULT_CLASSIC_POLICY),
    ]
    clb_good = classic[estate["clb-good"]]
    assert clb_good.props.listeners[0].ssl_policy == "ELBSecurityPolicy-TLS-1-2-2017-01"
    assert clb_good.props.listeners[0].allows_legacy_tls is False
    assert not hasattr(clb_good.props, "deletion_protection")


def test_attributes_denied_is_unknown(estate: dict[str, str]) -> None:
    with failing("elbv2.DescribeLoadBalancerAttributes"):
        snapshot = scan(["elb"])
    modern = by_uid(snapshot, LoadBalancer.KIND)
    assert all(
        r.props.access_logs_enabled is None and r.props.deletion_protection is None
        for r in modern.values()
    )
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeLoadBalancerAttributes", "AccessDenied", uid) for uid in modern
    }
    want = expected(estate)
    for uid in modern:
        for rule_id in ("LOG-LB-01", "BAK-LB-01"):
            want = {w for w in want if w[:2] != (rule_id, uid)} | {(rule_id, uid, "UNKNOWN")}
    assert outcomes(snapshot, RULES) == want


def test_ssl_policies_denied_is_unknown(estate: dict[str, str]) -> None:
    with failing("elbv2.DescribeSSLPolicies", "elb.DescribeLoadBalancerPolicies"):
        snapshot = scan(["elb"])
    assert {(g.operation, g.region) for g in snapshot.gaps} == {
        ("DescribeSSLPolicies", "us-east-1"),
        ("DescribeSSLPolicies", "eu-west-1"),
        ("DescribeLoadBalancerPolicies", "eu-west-1"),
    }
    https = by_uid(snapshot, LoadBalancer.KIND)[estate["alb-good"]].props.listeners[1]
    assert (https.ssl_policy, https.tls_protocols, https.allows_legacy_tls) == (MODERN, None, None)
    unknown = {estate["alb-bad"], estate["alb-good"], estate["nlb"], estate["clb-good"]}
    want = {w for w in expected(estate) if not (w[0] == "EIT-LB-02" and w[1] in unknown)}
    want |= {("EIT-LB-02", uid, "UNKNOWN") for uid in unknown}
    # clb-bad names no policy: the AWS default applies without any call, still judged.
    assert outcomes(snapshot, RULES) == want


def test_listing_denied_yields_nothing_and_a_gap() -> None:
    with mock_aws():
        seed()
        with failing("elb.DescribeLoadBalancers"):
            snapshot = scan(["elb"], regions=("us-east-1",))
    assert {r.name for r in snapshot.resources} == {
        "alb-bad",
        "alb-good",
        "alb-rule-forwards",
        "alb-rule-redirects",
    }
    assert [(g.service, g.operation) for g in snapshot.gaps] == [("elb", "DescribeLoadBalancers")]


def test_one_call_per_resource(estate: dict[str, str]) -> None:
    counter = CallCounter()
    scan(["elb"], counter=counter)
    assert counter.counts["elbv2.DescribeLoadBalancers"] == 2  # one page per region
    assert counter.counts["elbv2.DescribeListeners"] == 5
    assert counter.counts["elbv2.DescribeLoadBalancerAttributes"] == 5
    # Rules only for HTTP listeners whose default does not forward: alb-good's redirect and
    # fixed-response listeners and the two ruled ALBs' listeners.
    assert counter.counts["elbv2.DescribeRules"] == 4
    assert counter.counts["elbv2.DescribeTags"] == 2  # one batch per region
    assert counter.counts["elbv2.DescribeSSLPolicies"] == 2  # once per region, not per listener
    assert counter.counts["elb.DescribeLoadBalancers"] == 2
    assert counter.counts["elb.DescribeLoadBalancerAttributes"] == 2
    assert counter.counts["elb.DescribeLoadBalancerPolicies"] == 1  # only clb-good names one
    assert counter.counts["elb.DescribeTags"] == 2


# Pure helpers -----------------------------------------------------------------------------


def test_default_action_uses_terminal_action_and_resolves_protocol() -> None:
    auth = {"Type": "authenticate-oidc", "Order": 1}
    forward = {"Type": "forward", "Order": 2}
    assert default_action([forward, auth], "HTTPS") == "forward"
    keep = [{"Type": "redirect", "RedirectConfig": {"Protocol": "#{protocol}"}}]
    assert default_action(keep, "HTTP") == "redirect"
    assert default_action(keep, "HTTPS") == "redirect-https"
    assert default_action(REDIRECT, "HTTP") == "redirect-https"
    assert default_action([], "HTTP") == "none"


def test_v2_listener_interpretation() -> None:
    http = interpret_v2_listener(
        {
            "Protocol": "HTTP",
            "Port": 80,
            "SslPolicy": "X",
            "DefaultActions": [
                {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTP", "Host": "x"}}
            ],
        },
        {},
    )
    assert (http.forwards_plaintext, http.ssl_policy, http.default_action) == (
        True,
        None,
        "redirect",
    )
    tls = {"Protocol": "HTTPS", "Port": 443, "SslPolicy": "P", "DefaultActions": FIXED}
    assert interpret_v2_listener(tls, {"P": ("TLSv1", "TLSv1.2")}).allows_legacy_tls is True
    assert interpret_v2_listener(tls, {"P": ("TLSv1.2",)}).allows_legacy_tls is False
    assert interpret_v2_listener(tls, None).allows_legacy_tls is None
    assert interpret_v2_listener(tls, {}).tls_protocols is None  # policy missing from answer


REAL_CLASSIC_POLICY = {
    "PolicyName": "AWSConsole-SSLNegotiationPolicy-x",
    "PolicyTypeName": "SSLNegotiationPolicyType",
    "PolicyAttributeDescriptions": [
        {"AttributeName": "Protocol-TLSv1", "AttributeValue": "true"},
        {"AttributeName": "Protocol-SSLv3", "AttributeValue": "false"},
        {"AttributeName": "Protocol-TLSv1.1", "AttributeValue": "false"},
        {"AttributeName": "Protocol-TLSv1.2", "AttributeValue": "true"},
        {"AttributeName": "Reference-Security-Policy", "AttributeValue": "custom"},
        {"AttributeName": "ECDHE-RSA-AES128-GCM-SHA256", "AttributeValue": "true"},
    ],
}
STICKY = {"PolicyName": "sticky", "PolicyTypeName": "LBCookieStickinessPolicyType"}


def test_classic_policy_reading() -> None:
    # Real AWS: explicit Protocol-* attributes win over the reference name.
    policies = {"p": REAL_CLASSIC_POLICY, "sticky": STICKY}
    assert classic_listener_policy(["sticky", "p"], policies) == ("custom", ("TLSv1", "TLSv1.2"))
    assert classic_listener_policy([], {}) == (
        "ELBSecurityPolicy-2016-08",
        ("TLSv1", "TLSv1.1", "TLSv1.2"),
    )
    assert classic_listener_policy(["sticky"], {"sticky": STICKY})[0] == "ELBSecurityPolicy-2016-08"
    assert classic_listener_policy(["p"], None) == ("p", None)
    assert classic_listener_policy(["gone"], {}) == ("gone", None)
    unknown_ref = {
        "PolicyName": "q",
        "PolicyTypeName": "SSLNegotiationPolicyType",
        "PolicyAttributeDescriptions": [
            {
                "AttributeName": "Reference-Security-Policy",
                "AttributeValue": "ELBSample-OpenSSLDefaultCipherPolicy",
            }
        ],
    }
    assert classic_listener_policy(["q"], {"q": unknown_ref}) == (
        "ELBSample-OpenSSLDefaultCipherPolicy",
        None,
    )
    listener = interpret_classic_listener(
        {"Listener": {"Protocol": "SSL", "LoadBalancerPort": 993}, "PolicyNames": ["p"]}, policies
    )
    assert (listener.encrypted, listener.allows_legacy_tls) == (True, True)
    tcp = interpret_classic_listener(
        {"Listener": {"Protocol": "TCP", "LoadBalancerPort": 25}}, None
    )
    assert (tcp.forwards_plaintext, tcp.allows_legacy_tls) == (False, False)


def test_tls_policy_helpers() -> None:
    assert tls_policies.allows_legacy_tls(["TLSv1.2", "TLSv1.0"])
    assert tls_policies.allows_legacy_tls(["SSLv3"])
    assert not tls_policies.allows_legacy_tls(["TLSv1.3", "TLSv1.2"])
    assert not tls_policies.allows_legacy_tls([])
    assert tls_policies.sorted_protocols(["TLSv1.3", "TLSv1.0", "TLSv1", "TLSv1.2"]) == (
        "TLSv1",
        "TLSv1.2",
        "TLSv1.3",
    )
    assert tls_policies.elbv2_policy_protocols(
        [{"Name": "a", "SslProtocols": ["TLSv1.2", "TLSv1.1"]}]
    ) == {"a": ("TLSv1.1", "TLSv1.2")}
    assert tls_policies.classic_predefined_protocols("ELBSecurityPolicy-TLS-1-2-2017-01") == (
        "TLSv1.2",
    )
    assert all(
        tls_policies.allows_legacy_tls(p)
        for name, p in tls_policies.CLASSIC_PREDEFINED.items()
        if "TLS-1-2" not in name
    )


def test_listener_rules_denied_make_only_undecided_listeners_unknown(
    estate: dict[str, str],
) -> None:
    with failing("elbv2.DescribeRules"):
        snapshot = scan(["elb"], ["us-east-1"])
    found = {o for o in outcomes(snapshot, ["EIT-LB-01"])}
    # alb-bad forwards by default: FAIL stands without its rules; the others are unknown.
    assert found == {
        ("EIT-LB-01", estate["alb-bad"], "FAIL"),
        ("EIT-LB-01", estate["alb-good"], "UNKNOWN"),
        ("EIT-LB-01", estate["alb-rule-forwards"], "UNKNOWN"),
        ("EIT-LB-01", estate["alb-rule-redirects"], "UNKNOWN"),
        ("EIT-LB-01", estate["clb-bad"], "FAIL"),
    }
    assert {g.operation for g in snapshot.gaps} == {"DescribeRules"}


@pytest.mark.parametrize(
    ("rules", "forwards", "actions"),
    [
        (
            [
                {"IsDefault": True, "Actions": REDIRECT},
                {"IsDefault": False, "Actions": [{"Type": "forward", "TargetGroupArn": "tg"}]},
            ],
            True,
            ("forward",),
        ),
        (
            [
                {
                    "IsDefault": False,
                    "Actions": [
                        {"Type": "authenticate-oidc", "Order": 1},
                        {"Type": "forward", "TargetGroupArn": "tg", "Order": 2},
                    ],
                }
            ],
            True,
            ("forward",),
        ),
        (
            [
                {
                    "IsDefault": False,
                    "Actions": [
                        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTP", "Host": "x"}}
                    ],
                }
            ],
            True,
            ("redirect",),
        ),  # a redirect to plain HTTP elsewhere still carries plaintext
        (
            [{"IsDefault": False, "Actions": REDIRECT}, {"IsDefault": False, "Actions": FIXED}],
            False,
            ("redirect-https", "fixed-response"),
        ),
        ([], False, ()),
        (None, None, ()),
    ],
)
def test_listener_rules_interpretation(
    rules: list[dict[str, Any]] | None, forwards: bool | None, actions: tuple[str, ...]
) -> None:
    listener = {"Port": 80, "Protocol": "HTTP", "DefaultActions": REDIRECT}
    got = interpret_v2_listener(listener, {}, rules)
    assert (got.forwards_plaintext, got.rule_actions) == (forwards, actions)
