"""The Business Associate Addendum: AWS must have signed one before the account holds ePHI."""

from __future__ import annotations

from typing import Any

from rules.hipaa import BUSINESS_ASSOCIATE_CONTRACTS, WRITTEN_CONTRACT
from scanner.kinds.agreements import AccountAgreements
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="AGR-BAA-01",
    title="An AWS Business Associate Addendum is accepted",
    severity=Severity.HIGH,
    concern=Concern.AGREEMENTS,
    citations=(BUSINESS_ASSOCIATE_CONTRACTS, WRITTEN_CONTRACT),
    kinds=(AccountAgreements.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def baa_accepted(resource: Resource[AccountAgreements], ctx: RuleContext) -> Verdict:
    """An account may hold ePHI only under a business associate agreement with AWS.

    A covered entity may let a cloud provider store or process ePHI only under a written
    business associate agreement; on AWS that is the Business Associate Addendum accepted in
    AWS Artifact, for the account or for its whole organization.
    """
    props = resource.props
    subject = f"Account {resource.account}"
    if props.baa_active is None or props.agreements is None:
        return Verdict.unknown(
            f"{subject}: the AWS Artifact API did not answer; confirm the BAA in the AWS "
            "Artifact console.",
            baa_active=None,
        )
    evidence: dict[str, Any] = {
        "baa_active": props.baa_active,
        "agreements": [f"{a.name} ({a.state})" for a in props.agreements],
    }
    if props.baa_active:
        return Verdict.passed(
            f"{subject} has an active AWS Business Associate Addendum.", **evidence
        )
    return Verdict.fail(
        f"{subject} has no active AWS Business Associate Addendum in AWS Artifact.", **evidence
    )
