"""ML notebooks must not reach the internet outside the organisation's network."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, TRANSMISSION_SECURITY
from rules.support import judge_flag
from scanner.kinds.data_api import MlNotebook
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-NOTEBOOK-01",
    title="ML notebook has no direct internet access",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, TRANSMISSION_SECURITY),
    kinds=(MlNotebook.KIND,),
    providers=("aws",),
)
def notebook_no_direct_internet(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """With direct internet access a notebook can send ePHI anywhere, past every control.

    Its traffic bypasses the private network's firewalls, proxies and flow logs. Disable
    it and give the notebook a private subnet with only the egress it needs.
    """
    del ctx
    props: MlNotebook = resource.props
    subject = f"ML notebook {resource.name}"
    return judge_flag(
        props.direct_internet_access,
        good=False,
        passed=f"{subject} has no direct internet access.",
        failed=f"{subject} has direct internet access, outside the organisation's network.",
        unknown=f"{subject}: its internet access setting could not be read.",
        evidence={
            "direct_internet_access": props.direct_internet_access,
            "subnet_id": props.subnet_id,
        },
    )
