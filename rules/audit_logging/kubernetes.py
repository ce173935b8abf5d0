"""Kubernetes control planes must export their audit log."""

from __future__ import annotations

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from rules.support import judge_flag, tuple_evidence
from scanner.kinds.workloads import ContainerCluster
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-KUBERNETES-01",
    title="Kubernetes control plane exports its audit log",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(ContainerCluster.KIND,),
    providers=("aws",),
)
def cluster_audit_logging(resource: Resource[ContainerCluster], ctx: RuleContext) -> Verdict:
    """The Kubernetes audit log records who read which secret and who changed which workload.

    Without it, access to the cluster running ePHI workloads cannot be reviewed.
    """
    del ctx
    props = resource.props
    subject = f"Kubernetes cluster {resource.name}"
    return judge_flag(
        props.audit_logging,
        passed=f"{subject} exports its audit log.",
        failed=f"{subject} does not export its audit log.",
        unknown=f"{subject}: its logging configuration could not be read.",
        evidence={
            "audit_logging": props.audit_logging,
            "log_types": tuple_evidence(props.log_types),
        },
    )
