"""Cloud Storage only: public access prevention (uniform access is PUB-BUCKET-04's ACLs)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

_DOCS = "https://cloud.google.com/storage/docs/"


@rule(
    id="PUB-BUCKET-07",
    title="Bucket enforces public access prevention",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL,),
    kinds=(Bucket.KIND,),
    providers=("gcp",),
    precision="high",
)
def gcs_public_access_prevention(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Public access prevention makes any grant to allUsers or allAuthenticatedUsers inert.

    Without it, one mistaken IAM binding or ACL publishes ePHI to the internet. The bucket
    setting ``inherited`` may still be enforced by an organization policy, which this scan
    does not read: the finding says so.
    """
    del ctx
    detail = resource.props.gcp
    setting = None if detail is None else detail.public_access_prevention
    if setting is None:
        return Verdict.unknown(
            f"Bucket {resource.name}: its public access prevention could not be read.",
            public_access_prevention=None,
        )
    if setting == "enforced":
        return Verdict.passed(
            f"Bucket {resource.name} enforces public access prevention.",
            public_access_prevention=setting,
        )
    return Verdict.fail(
        f"Bucket {resource.name} does not enforce public access prevention itself "
        f"({setting}; an organization policy may still enforce it).",
        public_access_prevention=setting,
    )
