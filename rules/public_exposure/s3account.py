"""Account-wide public-access protection for S3 (account-level Block Public Access)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.storage import AccountPublicAccess
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule
from scanner.serde import to_json


@rule(
    id="PUB-S3ACCOUNT-01",
    title="Account-level S3 Block Public Access is fully enabled",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[AccountPublicAccess.KIND],
    phi_scoped=False,
    providers=("aws",),
)
def s3account_block_public_access_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The account-wide switch keeps every bucket, present and future, from being made public.

    One forgotten bucket ACL or policy is enough to expose ePHI; all four settings
    (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) must be on.
    """
    props: AccountPublicAccess = resource.props
    block = props.public_access_block
    if block is None:
        return Verdict.unknown(
            f"Account {resource.account}: the account-level S3 Block Public Access settings "
            "could not be read."
        )
    if block.all_enabled:
        return Verdict.passed(
            f"Account {resource.account} has all four S3 Block Public Access settings on.",
            public_access_block=to_json(block),
        )
    return Verdict.fail(
        f"Account {resource.account} has S3 Block Public Access settings off: "
        f"{', '.join(block.disabled_settings)}.",
        public_access_block=to_json(block),
        disabled=list(block.disabled_settings),
    )
