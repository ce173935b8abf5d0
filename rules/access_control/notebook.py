"""ML notebook users must not have root on the notebook instance."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_flag
from scanner.kinds.data_api import MlNotebook
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="IAM-NOTEBOOK-01",
    title="ML notebook users have no root access",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(MlNotebook.KIND,),
    providers=("aws",),
)
def notebook_no_root(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Root on a notebook lets its users change its software, network and logging settings.

    Least privilege (164.308(a)(4)) calls for turning it off; lifecycle configurations
    still run as root for the setup an administrator approves.
    """
    del ctx
    props: MlNotebook = resource.props
    subject = f"ML notebook {resource.name}"
    return judge_flag(
        props.root_access,
        good=False,
        passed=f"{subject} gives its users no root access.",
        failed=f"{subject} gives its users root access.",
        unknown=f"{subject}: its root access setting could not be read.",
        evidence={"root_access": props.root_access},
    )
