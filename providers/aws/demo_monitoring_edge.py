"""Demo estate, group "monitoring-edge": Security Hub, log alarms, certificates, WAF.

`seed_monitoring_edge` adds, to the Northwind Health estate, Security Hub in us-east-1 only;
the trail delivering to the EHR audit log group, with metric filters and alarms that catch
root use and network changes but not failed sign-ins (an alarm with no action) nor every
IAM policy change (one call missing from the pattern); an imported certificate expiring in
ten days and one valid for a year; and a web ACL that protects and logs the patient portal
load balancer, next to one that does neither.

moto has no IAM Access Analyzer API and no wafv2 ``ListResourcesForWebACL``. The demo's
server answers both here (`handle`): the analyzer answers are fixed (us-east-1 has an
account analyzer that reports the billing vendor's cross-account role; eu-west-1 has none),
and web ACL associations are read from moto's own records, so they are the seeded ones.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from providers.aws.metric_filters import IAM_POLICY_CALLS

if TYPE_CHECKING:
    from providers.aws.demo_estate import ClientMaker

DEMO_ACCOUNT = "123456789012"
# The EHR audit log group (seeded with the estate) also receives the trail's events.
TRAIL_LOG_GROUP = "/nwh/ehr/audit"
_NAMESPACE = "NWH/Security"
_ALERTS_TOPIC = f"arn:aws:sns:us-east-1:{DEMO_ACCOUNT}:nwh-security-alerts"

# CIS-style patterns, spelled differently on purpose: the scanner judges what they match.
_ROOT = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }'
_SIGNIN = '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
# Trap: every IAM policy call but DetachGroupPolicy.
_IAM_CALLS = tuple(name for name in IAM_POLICY_CALLS if name != "DetachGroupPolicy")
_IAM = "{ " + " || ".join(f"($.eventName = {name})" for name in _IAM_CALLS) + " }"
# Decoy: network changes caught by two filters with wildcards and extra terms.
_NET_FIREWALL = (
    "{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = *SecurityGroup* || "
    "$.eventName = *NetworkAcl* || $.eventName = ModifyVpcAttribute) }"
)
_NET_ROUTING = (
    "{ $.eventName = CreateRoute || $.eventName = CreateRouteTable || $.eventName = ReplaceRoute"
    " || $.eventName = ReplaceRouteTableAssociation || $.eventName = DeleteRouteTable || "
    "$.eventName = DeleteRoute || $.eventName = DisassociateRouteTable || "
    "$.eventName = *CustomerGateway || $.eventName = *InternetGateway }"
)


def seed_monitoring_edge(make: ClientMaker, load_balancer_arn: str) -> dict[str, str]:
    """Seed the group's resources; returns their ids by role."""
    make("securityhub", "us-east-1").enable_security_hub()
    _seed_alerting(make)
    ids = _seed_certificates(make)
    ids.update(_seed_web_acls(make, load_balancer_arn))
    return ids


def _seed_alerting(make: ClientMaker) -> None:
    logs = make("logs", "us-east-1")
    group_arn = f"arn:aws:logs:us-east-1:{DEMO_ACCOUNT}:log-group:{TRAIL_LOG_GROUP}:*"
    make("cloudtrail", "us-east-1").update_trail(
        Name="nwh-org-trail",
        CloudWatchLogsLogGroupArn=group_arn,
        CloudWatchLogsRoleArn=f"arn:aws:iam::{DEMO_ACCOUNT}:role/nwh-trail-to-logs",
    )
    cloudwatch = make("cloudwatch", "us-east-1")
    for name, pattern, actions in (
        ("RootAccountUsage", _ROOT, [_ALERTS_TOPIC]),
        ("ConsoleSigninFailures", _SIGNIN, []),  # trap: an alarm that tells nobody
        ("IAMPolicyChanges", _IAM, [_ALERTS_TOPIC]),
        ("FirewallChanges", _NET_FIREWALL, [_ALERTS_TOPIC]),
        ("RoutingChanges", _NET_ROUTING, [_ALERTS_TOPIC]),
    ):
        logs.put_metric_filter(
            logGroupName=TRAIL_LOG_GROUP,
            filterName=name,
            filterPattern=pattern,
            metricTransformations=[
                {"metricName": name, "metricNamespace": _NAMESPACE, "metricValue": "1"}
            ],
        )
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            MetricName=name,
            Namespace=_NAMESPACE,
            Statistic="Sum",
            Period=300,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            EvaluationPeriods=1,
            AlarmActions=actions,
        )


def _seed_certificates(make: ClientMaker) -> dict[str, str]:
    acm = make("acm", "us-east-1")
    arns = {}
    for role, domain, days in (
        ("expiring_certificate", "legacy-portal.nwh.example", 10),
        ("valid_certificate", "portal.nwh.example", 365),
    ):
        certificate, key = _self_signed(domain, days)
        arns[role] = acm.import_certificate(Certificate=certificate, PrivateKey=key)[
            "CertificateArn"
        ]
    return arns


def _self_signed(domain: str, days: int) -> tuple[bytes, bytes]:
    # cryptography comes with moto (the demo extra): import it only when seeding.
    from cryptography import x509  # noqa: PLC0415
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: PLC0415
    from cryptography.x509.oid import NameOID  # noqa: PLC0415

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days, hours=12))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return (
        certificate.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ),
    )


def _seed_web_acls(make: ClientMaker, load_balancer_arn: str) -> dict[str, str]:
    waf = make("wafv2", "us-east-1")
    arns = {}
    for role, name in (("portal_web_acl", "nwh-portal-waf"), ("staging_web_acl", "nwh-staging")):
        arns[role] = waf.create_web_acl(
            Name=name,
            Scope="REGIONAL",
            DefaultAction={"Allow": {}},
            VisibilityConfig={
                "SampledRequestsEnabled": True,
                "CloudWatchMetricsEnabled": True,
                "MetricName": name,
            },
        )["Summary"]["ARN"]
    waf.associate_web_acl(WebACLArn=arns["portal_web_acl"], ResourceArn=load_balancer_arn)
    waf.put_logging_configuration(
        LoggingConfiguration={
            "ResourceArn": arns["portal_web_acl"],
            "LogDestinationConfigs": [
                f"arn:aws:logs:us-east-1:{DEMO_ACCOUNT}:log-group:aws-waf-logs-nwh-portal"
            ],
        }
    )
    return arns


# --- answers for the APIs moto lacks ---------------------------------------------------

_ANALYZER = {
    "arn": f"arn:aws:access-analyzer:us-east-1:{DEMO_ACCOUNT}:analyzer/nwh-external-access",
    "name": "nwh-external-access",
    "type": "ACCOUNT",
    "createdAt": "2024-01-01T00:00:00Z",
    "status": "ACTIVE",
}
_FINDING = {
    "id": "f7c1d6a2-demo-4b1e-9a51-000000000001",
    "principal": {"AWS": "999988887777"},
    "action": ["sts:AssumeRole"],
    "resource": f"arn:aws:iam::{DEMO_ACCOUNT}:role/nwh-billing-vendor",
    "isPublic": False,
    "resourceType": "AWS::IAM::Role",
    "condition": {},
    "createdAt": "2024-01-01T00:00:00Z",
    "analyzedAt": "2024-01-01T00:00:00Z",
    "updatedAt": "2024-01-01T00:00:00Z",
    "status": "ACTIVE",
    "resourceOwnerAccount": DEMO_ACCOUNT,
}


def analyzer_answer(method: str, path: str, region: str) -> dict[str, Any] | None:
    """The demo's IAM Access Analyzer answer for one request (None: not one we answer)."""
    if method == "GET" and path == "/analyzer":
        return {"analyzers": [_ANALYZER] if region == "us-east-1" else []}
    if method == "POST" and path == "/finding":
        return {"findings": [_FINDING] if region == "us-east-1" else []}
    return None


def web_acl_resources(region: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """``ListResourcesForWebACL`` answered from moto's own association records."""
    from moto.wafv2.models import wafv2_backends  # noqa: PLC0415

    acl = wafv2_backends[DEMO_ACCOUNT][region].wacls.get(str(body.get("WebACLArn", "")))
    wanted = str(body.get("ResourceType") or "APPLICATION_LOAD_BALANCER")
    marker = ":loadbalancer/app/" if wanted == "APPLICATION_LOAD_BALANCER" else None
    found = [a for a in (acl.associated_resources if acl else []) if marker and marker in a]
    return {"ResourceArns": found}


def handle(environ: Mapping[str, Any], *, demo: bool) -> dict[str, Any] | None:
    """The answer to a request moto cannot serve, or None to pass it on to moto.

    Web ACL associations are moto's own state, so they are always answered; the fixed
    Access Analyzer answers are the demo's fiction, given only when `demo` is set.
    """
    auth = str(environ.get("HTTP_AUTHORIZATION", ""))
    scope = auth.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
    if len(scope) < 4:
        return None
    region, service = scope[2], scope[3]
    if service == "access-analyzer" and demo:
        return analyzer_answer(
            str(environ.get("REQUEST_METHOD")), str(environ.get("PATH_INFO")), region
        )
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if service == "wafv2" and target.endswith(".ListResourcesForWebACL"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        return web_acl_resources(region, body)
    return None
