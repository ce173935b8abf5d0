"""Kubernetes API endpoints must not be reachable from the whole internet."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import tuple_evidence
from scanner.kinds.workloads import ContainerCluster
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-KUBERNETES-01",
    title="Kubernetes API endpoint is not open to the internet",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(ContainerCluster.KIND,),
    providers=("aws",),
)
def cluster_endpoint_not_open(resource: Resource[ContainerCluster], ctx: RuleContext) -> Verdict:
    """A public API endpoint open to every address invites credential and exploit attempts.

    One success gives control of every workload, and every secret, in the cluster. The
    allowed blocks are judged by what they cover (``0.0.0.0/1`` plus ``128.0.0.0/1`` is
    the internet); a private endpoint, or a public one limited to known networks, passes.
    """
    del ctx
    props = resource.props
    subject = f"Kubernetes cluster {resource.name}"
    evidence = {
        "public_endpoint": props.public_endpoint,
        "public_access_cidrs": tuple_evidence(props.public_access_cidrs),
    }
    if props.public_endpoint_open is None:
        return Verdict.unknown(f"{subject}: its endpoint settings could not be read.", **evidence)
    if props.public_endpoint_open:
        return Verdict.fail(
            f"{subject} exposes its API endpoint to the internet "
            f"({', '.join(props.public_access_cidrs or ())}).",
            **evidence,
        )
    if props.public_endpoint:
        return Verdict.passed(
            f"{subject}'s public API endpoint is limited to "
            f"{', '.join(props.public_access_cidrs or ())}.",
            **evidence,
        )
    return Verdict.passed(f"{subject} has no public API endpoint.", **evidence)
