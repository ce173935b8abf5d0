"""Load-balancer, CDN and DynamoDB rules on hand-built resources: PASS, FAIL, UNKNOWN each."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rules import load_rules
from scanner.kinds import fact_type
from scanner.kinds.delivery import (
    CdnCacheBehavior,
    CdnDistribution,
    CdnOrigin,
    ClassicLoadBalancer,
    LoadBalancer,
    LoadBalancerListener,
)
from scanner.kinds.nosql import Table, TableKeyType
from scanner.model import Finding
from scanner.serde import from_json, to_json
from tests.rules.support import ACCOUNT, aws_resource, findings_of, snapshot_of

OURS = (
    "EIT-LB-01",
    "EIT-LB-02",
    "LOG-LB-01",
    "BAK-LB-01",
    "EIT-CDN-01",
    "EIT-CDN-02",
    "EIT-CDN-03",
    "LOG-CDN-01",
    "EAR-TABLE-01",
    "BAK-TABLE-01",
    "BAK-TABLE-02",
)


def judge(
    rule_id: str, props: Any, name: str = "r1", params: dict[str, Any] | None = None
) -> Finding | None:
    uid = f"arn:aws:x:us-east-1:{ACCOUNT}:{name}"
    snapshot = snapshot_of((aws_resource(uid, "AWS::X::Y", name, props),))
    findings = findings_of(rule_id, snapshot, params)
    return findings[0] if findings else None


def status(rule_id: str, props: Any, **kw: Any) -> str:
    finding = judge(rule_id, props, **kw)
    assert finding is not None
    return finding.status.value


def listener(
    protocol: str,
    port: int,
    *,
    action: str = "forward",
    policy: str | None = None,
    protocols: tuple[str, ...] | None = (),
    legacy: bool | None = False,
) -> LoadBalancerListener:
    encrypted = protocol in ("HTTPS", "TLS", "SSL")
    return LoadBalancerListener(
        port=port,
        protocol=protocol,
        default_action=action,
        forwards_plaintext=protocol == "HTTP"
        and action not in ("redirect-https", "fixed-response"),
        encrypted=encrypted,
        ssl_policy=policy,
        tls_protocols=protocols,
        allows_legacy_tls=legacy,
    )


MODERN_TLS = listener(
    "HTTPS",
    443,
    policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
    protocols=("TLSv1.2", "TLSv1.3"),
    legacy=False,
)
OLD_TLS = listener(
    "HTTPS",
    443,
    policy="ELBSecurityPolicy-2016-08",
    protocols=("TLSv1", "TLSv1.1", "TLSv1.2"),
    legacy=True,
)
UNREAD_TLS = listener(
    "TLS", 8443, policy="ELBSecurityPolicy-TLS13-1-2-2021-06", protocols=None, legacy=None
)


def alb(
    listeners: tuple[LoadBalancerListener, ...] | None = (MODERN_TLS,),
    logs: bool | None = True,
    protection: bool | None = True,
) -> LoadBalancer:
    return LoadBalancer(
        lb_type="application",
        scheme="internet-facing",
        listeners=listeners,
        access_logs_enabled=logs,
        access_log_bucket="logs" if logs else None,
        deletion_protection=protection,
    )


def clb(
    listeners: tuple[LoadBalancerListener, ...] | None = (MODERN_TLS,), logs: bool | None = True
) -> ClassicLoadBalancer:
    return ClassicLoadBalancer(
        lb_type="classic",
        scheme="internal",
        listeners=listeners,
        access_logs_enabled=logs,
        access_log_bucket="logs" if logs else None,
    )


def test_every_rule_is_well_formed() -> None:
    found = {r.id: r for r in load_rules() if r.id in OURS}
    assert set(found) == set(OURS)
    for rule in found.values():
        assert rule.meta.citations and rule.meta.remediation["aws"].cli
        assert rule.meta.remediation["aws"].terraform and rule.meta.phi_scoped
        assert 1 <= rule.meta.description.count(". ") + 1 <= 3
    assert found["BAK-LB-01"].meta.kinds == (LoadBalancer.KIND,)
    assert set(found["EIT-LB-01"].meta.kinds) == {LoadBalancer.KIND, ClassicLoadBalancer.KIND}


@pytest.mark.parametrize(
    "props",
    [
        alb(),
        clb(),
        alb((listener("HTTP", 80, action="redirect-https"), MODERN_TLS)),
        alb((listener("HTTP", 8080, action="fixed-response"),)),
        alb((listener("TCP", 5432),)),
    ],
)
def test_lb_plaintext_pass(props: Any) -> None:
    assert status("EIT-LB-01", props) == "PASS"


def test_lb_plaintext_fail_and_unknown() -> None:
    finding = judge(
        "EIT-LB-01",
        alb(
            (
                listener("HTTP", 80),
                listener("HTTP", 81, action="redirect"),
                listener("HTTP", 82, action="redirect-https"),
            )
        ),
    )
    assert finding is not None and finding.status.value == "FAIL"
    assert finding.evidence["plaintext_listeners"] == ["HTTP:80", "HTTP:81"]
    assert finding.message.startswith("Load balancer r1 forwards plaintext HTTP")
    assert status("EIT-LB-01", clb((listener("HTTP", 80),))) == "FAIL"
    assert status("EIT-LB-01", alb(None)) == "UNKNOWN"
    assert status("EIT-LB-01", clb(None)) == "UNKNOWN"


def test_lb_listener_rules_decide_plaintext() -> None:
    """Item 9: a redirecting default with a forwarding rule carries plaintext."""
    redirect = listener("HTTP", 80, action="redirect-https")
    ruled = dataclasses.replace(redirect, forwards_plaintext=True, rule_actions=("forward",))
    finding = judge("EIT-LB-01", alb((ruled, MODERN_TLS)))
    assert finding is not None and finding.status.value == "FAIL"
    assert finding.evidence["http_rule_actions"] == {"HTTP:80": ["forward"]}
    unread = dataclasses.replace(redirect, forwards_plaintext=None)
    assert status("EIT-LB-01", alb((unread, MODERN_TLS))) == "UNKNOWN"
    # Another listener forwarding by default decides it whatever the unread rules say.
    assert status("EIT-LB-01", alb((unread, listener("HTTP", 81)))) == "FAIL"
    only_redirects = dataclasses.replace(redirect, rule_actions=("redirect-https",))
    assert status("EIT-LB-01", alb((only_redirects, MODERN_TLS))) == "PASS"


def test_lb_tls_policy() -> None:
    assert status("EIT-LB-02", alb()) == "PASS"
    assert status("EIT-LB-02", clb()) == "PASS"
    # No TLS listener: nothing to judge, so no finding (not a PASS).
    assert judge("EIT-LB-02", alb((listener("HTTP", 80),))) is None
    failed = judge("EIT-LB-02", clb((MODERN_TLS, OLD_TLS)))
    assert failed is not None and failed.status.value == "FAIL"
    assert failed.evidence["legacy_protocols"] == {"HTTPS:443": ["TLSv1", "TLSv1.1"]}
    # A known legacy listener fails even when another policy is unreadable.
    assert status("EIT-LB-02", alb((OLD_TLS, UNREAD_TLS))) == "FAIL"
    assert status("EIT-LB-02", alb((MODERN_TLS, UNREAD_TLS))) == "UNKNOWN"
    assert status("EIT-LB-02", alb(None)) == "UNKNOWN"


def test_lb_access_logs() -> None:
    assert status("LOG-LB-01", alb()) == "PASS"
    assert status("LOG-LB-01", clb(logs=False)) == "FAIL"
    assert status("LOG-LB-01", alb(logs=None)) == "UNKNOWN"


def test_lb_deletion_protection_only_for_elbv2() -> None:
    assert status("BAK-LB-01", alb()) == "PASS"
    assert status("BAK-LB-01", alb(protection=False)) == "FAIL"
    assert status("BAK-LB-01", alb(protection=None)) == "UNKNOWN"
    assert judge("BAK-LB-01", clb()) is None  # not applicable: not targeted at all


def cdn(
    behaviors: tuple[str, ...] = ("redirect-to-https",),
    origins: tuple[CdnOrigin, ...] | None = None,
    default_cert: bool = False,
    version: str = "TLSv1.2_2021",
    logging: bool | None = True,
) -> CdnDistribution:
    return CdnDistribution(
        enabled=True,
        domain_name="d.cloudfront.net",
        aliases=(),
        cache_behaviors=tuple(
            CdnCacheBehavior("*" if i == 0 else f"/p{i}/*", "o", policy)
            for i, policy in enumerate(behaviors)
        ),
        origins=origins
        if origins is not None
        else (CdnOrigin("o", "o.example.com", "custom", "https-only", False),),
        default_certificate=default_cert,
        minimum_protocol_version=version,
        effective_minimum_protocol="TLSv1" if default_cert else version,
        logging_enabled=logging,
        log_bucket="logs.s3.amazonaws.com" if logging else None,
    )


def test_cdn_viewer_protocol() -> None:
    assert status("EIT-CDN-01", cdn(("redirect-to-https", "https-only"))) == "PASS"
    failed = judge("EIT-CDN-01", cdn(("https-only", "allow-all")))
    assert failed is not None and failed.status.value == "FAIL"
    assert failed.evidence["allow_all_paths"] == ["/p1/*"]


def test_cdn_viewer_tls_minimum() -> None:
    assert status("EIT-CDN-02", cdn()) == "PASS"
    assert status("EIT-CDN-02", cdn(version="TLSv1.3_2025")) == "PASS"
    assert status("EIT-CDN-02", cdn(version="TLSv1.2_2019")) == "FAIL"
    assert status("EIT-CDN-02", cdn(version="TLSv1_2016")) == "FAIL"
    assert status("EIT-CDN-02", cdn(version="SSLv3")) == "FAIL"
    default = judge("EIT-CDN-02", cdn(default_cert=True))
    assert default is not None and default.status.value == "FAIL"
    assert default.evidence["effective_minimum_protocol"] == "TLSv1"
    assert (
        status(
            "EIT-CDN-02",
            cdn(version="TLSv1.2_2019"),
            params={"minimum_protocol_version": "TLSv1.2_2018"},
        )
        == "PASS"
    )
    assert status("EIT-CDN-02", cdn(version="Mystery")) == "UNKNOWN"


def test_cdn_origin_protocol() -> None:
    s3 = CdnOrigin("s3", "b.s3.amazonaws.com", "s3", "match-viewer", False)
    assert status("EIT-CDN-03", cdn(origins=(s3,))) == "PASS"
    http = CdnOrigin("web", "web.example.com", "custom", "http-only", True)
    failed = judge("EIT-CDN-03", cdn(origins=(s3, http)))
    assert failed is not None and failed.status.value == "FAIL"
    assert failed.evidence["plaintext_origins"] == ["web"]
    vpc = CdnOrigin("vpc", "internal", "vpc", None, None)
    assert status("EIT-CDN-03", cdn(origins=(s3, vpc))) == "UNKNOWN"
    assert status("EIT-CDN-03", cdn(origins=(http, vpc))) == "FAIL"


def test_cdn_logging() -> None:
    assert status("LOG-CDN-01", cdn()) == "PASS"
    assert status("LOG-CDN-01", cdn(logging=False)) == "FAIL"
    assert status("LOG-CDN-01", cdn(logging=None)) == "UNKNOWN"


def table(
    key: TableKeyType | None = TableKeyType.CUSTOMER_MANAGED,
    pitr: bool | None = True,
    protection: bool | None = True,
) -> Table:
    return Table(
        key_type=key,
        kms_key_arn=None if key is TableKeyType.AWS_OWNED else "arn:k",
        point_in_time_recovery=pitr,
        recovery_period_days=35 if pitr else None,
        deletion_protection=protection,
    )


def test_dynamodb_customer_key() -> None:
    assert status("EAR-TABLE-01", table()) == "PASS"
    for key in (TableKeyType.AWS_OWNED, TableKeyType.AWS_MANAGED):
        finding = judge("EAR-TABLE-01", table(key))
        assert finding is not None and finding.status.value == "FAIL"
        assert finding.evidence["key_type"] == key.value
    assert status("EAR-TABLE-01", table(None)) == "UNKNOWN"


def test_dynamodb_backups_and_deletion_protection() -> None:
    assert status("BAK-TABLE-01", table()) == "PASS"
    assert status("BAK-TABLE-01", table(pitr=False)) == "FAIL"
    assert status("BAK-TABLE-01", table(pitr=None)) == "UNKNOWN"
    assert status("BAK-TABLE-02", table()) == "PASS"
    assert status("BAK-TABLE-02", table(protection=False)) == "FAIL"
    assert status("BAK-TABLE-02", table(protection=None)) == "UNKNOWN"


@pytest.mark.parametrize(
    "props",
    [
        alb((MODERN_TLS, UNREAD_TLS)),
        clb(None),
        cdn(origins=(CdnOrigin("vpc", "internal", "vpc", None, None),)),
        table(None),
        table(),
    ],
)
def test_facts_round_trip_through_the_snapshot_format(props: Any) -> None:
    cls = fact_type(props.KIND)
    assert cls is type(props)
    assert from_json(cls, to_json(props), "props") == props
    assert dataclasses.is_dataclass(props)
