"""S3 Block Public Access, an AWS-only safeguard: per bucket and for the whole account."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.public_exposure.bucket import block_public_access_evidence
from scanner.kinds.storage import AccountPublicAccess, Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule
from scanner.serde import to_json


@rule(
    id="PUB-BUCKET-01",
    title="Bucket-level Block Public Access is fully enabled",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[Bucket.KIND],
    params={"accept_account_level": False},
    providers=("aws",),
)
def bucket_block_public_access_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Bucket-level Block Public Access keeps a PHI bucket private whatever the account does.

    It holds even if the account-level switch is ever turned off, and refuses any new public
    ACL or policy on the bucket.
    Set the parameter `accept_account_level` to true to pass buckets whose account has all
    four account-level settings on.
    """
    props: Bucket = resource.props
    block, account = props.public_access_block, props.account_public_access_block
    evidence = block_public_access_evidence(props)
    if block is not None and block.all_enabled:
        return Verdict.passed(
            f"Bucket {resource.name} has all four Block Public Access settings on.", **evidence
        )
    if ctx.param("accept_account_level") and account is not None and account.all_enabled:
        return Verdict.passed(
            f"Bucket {resource.name} is covered by account-level Block Public Access "
            "(all four settings on).",
            **evidence,
        )
    if block is None:
        return Verdict.unknown(
            f"Bucket {resource.name}: its Block Public Access settings could not be read.",
            **evidence,
        )
    return Verdict.fail(
        f"Bucket {resource.name} has Block Public Access settings off: "
        f"{', '.join(block.disabled_settings)}.",
        disabled=list(block.disabled_settings),
        **evidence,
    )


@rule(
    id="PUB-BUCKETDEFAULT-01",
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
