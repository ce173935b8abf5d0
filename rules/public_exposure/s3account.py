"""Account-wide public-access protection for S3 (account-level Block Public Access)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.storage import AccountPublicAccess
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule
from scanner.serde import to_json

_TERRAFORM = """resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}"""


@rule(
    id="PUB-S3ACCOUNT-01",
    title="Account-level S3 Block Public Access is fully enabled",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[AccountPublicAccess.KIND],
    phi_scoped=False,
    remediation={
        "aws": ProviderFix(
            console="S3 console > Block Public Access settings for this account > Edit: tick "
            "all four settings, save and confirm. Check first that no bucket is meant "
            "to be public (a static website should sit behind CloudFront with OAC).",
            cli="aws s3control put-public-access-block --account-id ACCOUNT_ID "
            "--public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,"
            "BlockPublicPolicy=true,RestrictPublicBuckets=true",
            terraform=_TERRAFORM,
            docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html",
        )
    },
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
