"""Load balancers: deletion protection on ELBv2 load balancers.

Only `network.load_balancer` is judged: classic ELBs have no deletion-protection switch, so
they are a separate kind (`network.classic_load_balancer`) that this rule does not target,
rather than a PASS or UNKNOWN that would misstate what was checked.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import CONTINGENCY_PLAN, EMERGENCY_MODE_PLAN
from rules.support import judge_switch
from scanner.kinds.delivery import LoadBalancer
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-LB-01",
    title="Load balancer deletion protection is enabled",
    severity=Severity.LOW,
    concern=Concern.BACKUP_RECOVERY,
    citations=(CONTINGENCY_PLAN, EMERGENCY_MODE_PLAN),
    kinds=(LoadBalancer.KIND,),
    providers=("aws",),
)
def load_balancer_deletion_protection_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Deleting the load balancer in front of an ePHI application takes the service down.

    Whether by mistake or by a compromised credential, the DNS name goes with it; deletion
    protection makes deletion a deliberate two-step action.
    """
    return judge_switch(
        resource.props.deletion_protection,
        subject=f"Load balancer {resource.name}",
        setting="deletion protection",
        unknown="its attributes (deletion protection) could not be read",
        evidence_key="deletion_protection_enabled",
    )
