"""Custom API domain names must refuse TLS versions older than 1.2."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY
from scanner.kinds.data_api import ApiDomain
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

MODERN = ("1.2", "1.3")


@rule(
    id="EIT-APIDOMAIN-01",
    title="API custom domain accepts only TLS 1.2 or later",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY),
    kinds=(ApiDomain.KIND,),
    providers=("aws",),
)
def api_domain_min_tls(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """TLS 1.0 and 1.1 are deprecated (NIST SP 800-52r2, RFC 8996).

    A custom domain whose security policy still accepts them lets clients negotiate a
    connection that no longer protects the ePHI an API carries.
    """
    del ctx
    props: ApiDomain = resource.props
    subject = f"API domain {resource.name}"
    evidence: dict[str, JSONValue] = {
        "security_policy": props.security_policy,
        "min_tls_version": props.min_tls_version,
    }
    if props.min_tls_version is None:
        why = (
            "no security policy was reported"
            if props.security_policy is None
            else f"security policy {props.security_policy} is not known to the scanner"
        )
        return Verdict.unknown(
            f"{subject}: its minimum TLS version is unknown ({why}).", **evidence
        )
    if props.min_tls_version in MODERN:
        return Verdict.passed(
            f"{subject} accepts TLS {props.min_tls_version} or later ({props.security_policy}).",
            **evidence,
        )
    return Verdict.fail(
        f"{subject} accepts TLS {props.min_tls_version} ({props.security_policy}).", **evidence
    )
