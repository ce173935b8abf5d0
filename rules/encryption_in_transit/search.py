"""Search domains: encrypted traffic between nodes, and HTTPS-only access with TLS 1.2+."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY, TRANSMISSION_SECURITY
from rules.support import judge_flag
from scanner.kinds.data_api import SearchDomain
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

MODERN = ("1.2", "1.3")


@rule(
    id="EIT-SEARCH-01",
    title="Search domain encrypts traffic between its nodes",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(SearchDomain.KIND,),
    providers=("aws",),
)
def search_node_to_node(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Without node-to-node encryption, ePHI crosses the cluster's network in plaintext.

    Nodes copy shards and forward queries to each other all the time.
    """
    del ctx
    props: SearchDomain = resource.props
    subject = f"Search domain {resource.name}"
    return judge_flag(
        props.node_to_node_encryption,
        passed=f"{subject} encrypts traffic between its nodes.",
        failed=f"{subject} sends traffic between its nodes unencrypted.",
        unknown=f"{subject}: its node-to-node encryption could not be read.",
        evidence={"node_to_node_encryption": props.node_to_node_encryption},
    )


@rule(
    id="EIT-SEARCH-02",
    title="Search domain requires HTTPS with TLS 1.2 or later",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY),
    kinds=(SearchDomain.KIND,),
    providers=("aws",),
)
def search_https_modern_tls(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Queries and results carry ePHI: plain HTTP must be refused and TLS below 1.2 too.

    Both parts must hold: HTTPS enforced, and a TLS security policy whose minimum is
    TLS 1.2 (``Policy-Min-TLS-1-2-*``).
    """
    del ctx
    props: SearchDomain = resource.props
    subject = f"Search domain {resource.name}"
    evidence: dict[str, JSONValue] = {
        "https_enforced": props.https_enforced,
        "tls_policy": props.tls_policy,
        "min_tls_version": props.min_tls_version,
    }
    problems = []
    if props.https_enforced is False:
        problems.append("accepts plain HTTP")
    if props.min_tls_version is not None and props.min_tls_version not in MODERN:
        problems.append(f"accepts TLS {props.min_tls_version} ({props.tls_policy})")
    if problems:
        return Verdict.fail(f"{subject} {' and '.join(problems)}.", **evidence)
    if props.https_enforced is None or props.min_tls_version is None:
        return Verdict.unknown(
            f"{subject}: its HTTPS enforcement or TLS policy ({props.tls_policy}) could not be "
            "read or is not known to the scanner.",
            **evidence,
        )
    return Verdict.passed(
        f"{subject} requires HTTPS with TLS {props.min_tls_version} or later ({props.tls_policy}).",
        **evidence,
    )
