"""Images pushed to container repositories must be scanned for vulnerabilities."""

from __future__ import annotations

from rules.hipaa import ACTIVITY_REVIEW, MALICIOUS_SOFTWARE
from rules.support import judge_flag
from scanner.kinds.workloads import ContainerRegistry
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-REGISTRY-01",
    title="Container repository scans images on push",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(MALICIOUS_SOFTWARE, ACTIVITY_REVIEW),
    kinds=(ContainerRegistry.KIND,),
    providers=("aws",),
)
def registry_scans_on_push(resource: Resource[ContainerRegistry], ctx: RuleContext) -> Verdict:
    """Scanning each pushed image records the known vulnerabilities it ships with.

    Without it, images with exploitable packages reach the workloads that handle ePHI
    unreviewed. The repository's own scan-on-push setting counts under basic scanning; a
    registry rule covering the repository counts under basic or enhanced scanning.
    """
    del ctx
    props = resource.props
    subject = f"Container repository {resource.name}"
    return judge_flag(
        props.scan_on_push,
        passed=f"{subject} scans every pushed image ({props.scan_source}).",
        failed=f"{subject} does not scan pushed images.",
        unknown=f"{subject}: its scanning configuration could not be read.",
        evidence={"scan_on_push": props.scan_on_push, "scan_source": props.scan_source},
    )
