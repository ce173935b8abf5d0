"""Encryption in transit for big-data analytics clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import judge_flag
from scanner.kinds.streams_analytics import AnalyticsCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-ANALYTICS-01",
    title="Analytics cluster encrypts traffic between its nodes",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(AnalyticsCluster.KIND,),
    providers=("aws",),
)
def analytics_cluster_encrypted_in_transit(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Shuffles, replication and RPC between a cluster's nodes carry ePHI over the network.

    The cluster's security configuration must turn on in-transit encryption (TLS with a
    certificate the configuration names).
    """
    del ctx
    props: AnalyticsCluster = resource.props
    evidence: dict[str, JSONValue] = {
        "security_configuration": props.security_configuration,
        "encrypted_in_transit": props.encrypted_in_transit,
    }
    subject = f"Analytics cluster {resource.name}"
    return judge_flag(
        props.encrypted_in_transit,
        passed=f"{subject} encrypts traffic between its nodes.",
        failed=f"{subject} does not encrypt traffic between its nodes.",
        unknown=f"{subject}: its security configuration could not be read.",
        evidence=evidence,
    )
