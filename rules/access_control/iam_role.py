"""IAM role trust policies: no role may be assumed by anyone.

Judges `iam.principal` resources of type role. What counts as "open" (and why
``sts:ExternalId`` alone does not restrict) is defined in `providers.aws.iam_analysis`.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT, PERSON_AUTHENTICATION
from scanner.kinds.iam import IamPrincipal, PrincipalType
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="IAM-ROLE-01",
    title="Role trust policies do not let any principal assume the role",
    severity=Severity.CRITICAL,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, PERSON_AUTHENTICATION, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(IamPrincipal.KIND,),
    where={"principal_type": PrincipalType.ROLE.value},
    phi_scoped=False,
    providers=("aws",),
)
def role_trust_not_open(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A role any principal can assume hands its ePHI access to anyone with a cloud account.

    A trust policy must name the callers it trusts.
    """
    props = resource.props
    label = f"Role {resource.name}"
    statements = props.trust_open_statements
    if statements is None:
        return Verdict.unknown(f"{label}: its trust policy could not be read or parsed.")
    if statements:
        return Verdict.fail(
            f"{label} can be assumed by any principal: {'; '.join(statements)}.",
            open_statements=list(statements),
            trusted_principals=list(props.trusted_principals),
        )
    return Verdict.passed(
        f"{label} trusts only named principals.", trusted_principals=list(props.trusted_principals)
    )
