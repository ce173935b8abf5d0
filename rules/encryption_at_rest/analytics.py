"""Encryption at rest for big-data analytics clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag
from scanner.kinds.streams_analytics import AnalyticsCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-ANALYTICS-01",
    title="Analytics cluster encrypts its local disks",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(AnalyticsCluster.KIND,),
    providers=("aws",),
)
def analytics_cluster_encrypted_at_rest(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Big-data jobs spill ePHI to their nodes' disks (HDFS, shuffle and scratch files).

    The cluster's security configuration must encrypt those local disks; data it writes to
    object storage is judged by the bucket rules.
    """
    del ctx
    props: AnalyticsCluster = resource.props
    evidence: dict[str, JSONValue] = {
        "security_configuration": props.security_configuration,
        "local_disks_encrypted": props.encrypted_at_rest,
        "at_rest_switch_on": props.at_rest_switch_on,
        "s3_encryption_mode": props.s3_encryption_mode,
    }
    subject = f"Analytics cluster {resource.name}"
    if props.security_configuration is None and props.encrypted_at_rest is False:
        failed = f"{subject} has no security configuration: its local disks are not encrypted."
    else:
        failed = f"{subject}: its security configuration does not encrypt local disks."
    return judge_flag(
        props.encrypted_at_rest,
        passed=f"{subject} encrypts its local disks.",
        failed=failed,
        unknown=f"{subject}: its security configuration could not be read.",
        evidence=evidence,
    )
