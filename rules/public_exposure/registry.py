"""Container image repositories must not be open to any principal."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_open_statements
from scanner.kinds.workloads import ContainerRegistry
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-REGISTRY-01",
    title="Container repository policy is not open to any principal",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(ContainerRegistry.KIND,),
    providers=("aws",),
)
def registry_policy_not_public(resource: Resource[ContainerRegistry], ctx: RuleContext) -> Verdict:
    """Images hold application code, configuration and sometimes baked-in data or secrets.

    A repository policy open to any principal (``*``, or an ARN pattern matching every
    account) lets anyone pull them, or push a poisoned image the workloads then run.
    """
    del ctx
    props = resource.props
    return judge_open_statements(
        props.public_policy_statements,
        subject=f"Container repository {resource.name}",
        has_policy=props.has_policy,
    )
