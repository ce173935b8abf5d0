"""Public exposure of object-storage buckets: Block Public Access, ACL grants, bucket policy.

The provider decides exposure (it applies bucket- and account-level Block Public Access to
the ACL and the policy); these rules judge those facts and show the evidence.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.storage import Bucket, PublicAccessBlock
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule
from scanner.serde import to_json

_BPA_CLI = (
    "aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration "
    "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,"
    "RestrictPublicBuckets=true"
)
_BPA_TERRAFORM = """resource "aws_s3_bucket_public_access_block" "phi" {
  bucket                  = aws_s3_bucket.phi.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}"""
_ACL_TERRAFORM = """resource "aws_s3_bucket_ownership_controls" "phi" {
  bucket = aws_s3_bucket.phi.id
  rule {
    object_ownership = "BucketOwnerEnforced" # disables ACLs entirely
  }
}

resource "aws_s3_bucket_public_access_block" "phi" {
  bucket                  = aws_s3_bucket.phi.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}"""
_POLICY_TERRAFORM = """data "aws_iam_policy_document" "phi" {
  statement {
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.phi.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.app.arn] # a named principal, never "*"
    }
  }
}

resource "aws_s3_bucket_policy" "phi" {
  bucket = aws_s3_bucket.phi.id
  policy = data.aws_iam_policy_document.phi.json
}"""


def _block(block: PublicAccessBlock | None) -> JSONValue:
    return None if block is None else to_json(block)


def _blocks(props: Bucket) -> dict[str, JSONValue]:
    """The bucket- and account-level Block Public Access settings, as evidence."""
    return {
        "public_access_block": _block(props.public_access_block),
        "account_public_access_block": _block(props.account_public_access_block),
    }


@rule(
    id="PUB-BUCKET-01",
    title="Bucket-level Block Public Access is fully enabled",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[Bucket.KIND],
    params={"accept_account_level": False},
    remediation={
        "aws": ProviderFix(
            console="S3 console > the bucket > Permissions > Block public access (bucket "
            "settings) > Edit: tick all four settings, save and confirm.",
            cli=_BPA_CLI,
            terraform=_BPA_TERRAFORM,
            docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-bucket.html",
        )
    },
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
    evidence = _blocks(props)
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
    id="PUB-BUCKET-02",
    title="Bucket is not public through its ACL",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[Bucket.KIND],
    remediation={
        "aws": ProviderFix(
            console="S3 console > the bucket > Permissions > Access control list > Edit: remove "
            "every grant to Everyone (public access) and Authenticated users group; then "
            "set Object Ownership to 'Bucket owner enforced' to disable ACLs.",
            cli="aws s3api put-bucket-acl --bucket BUCKET --acl private && "
            "aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls "
            "'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
            terraform=_ACL_TERRAFORM,
            docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
        )
    },
)
def bucket_not_public_via_acl(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An ACL grant to AllUsers or AuthenticatedUsers (any AWS account) exposes ePHI to anyone.

    Grants neutralised by IgnorePublicAcls (bucket or account level) are not effective and pass.
    """
    props: Bucket = resource.props
    evidence: dict[str, JSONValue] = {
        "public_acl_grants": None
        if props.public_acl_grants is None
        else list(props.public_acl_grants),
        **_blocks(props),
    }
    if props.acl_public is None:
        what = (
            "its ACL"
            if props.public_acl_grants is None
            else "the Block Public Access settings that decide whether its public grants apply"
        )
        return Verdict.unknown(f"Bucket {resource.name}: {what} could not be read.", **evidence)
    grants = ", ".join(props.public_acl_grants or ())
    if props.acl_public:
        return Verdict.fail(
            f"Bucket {resource.name} is public through its ACL: {grants}.", **evidence
        )
    evidence["acls_enabled"] = props.acls_enabled
    if props.object_acl_exposure is not False:
        # The bucket ACL is private, but objects carry ACLs of their own that no bucket
        # read shows; nothing (IgnorePublicAcls) would neutralise a public one.
        reason = (
            "ACLs are enabled and IgnorePublicAcls is off at bucket and account level, so "
            "objects may be public through their own ACLs (which are not read)"
            if props.object_acl_exposure
            else "whether its objects' own ACLs are honoured could not be read"
        )
        return Verdict.unknown(
            f"Bucket {resource.name} has no public bucket ACL grant, but {reason}.", **evidence
        )
    if props.public_acl_grants:
        return Verdict.passed(
            f"Bucket {resource.name} has public ACL grants ({grants}), but IgnorePublicAcls "
            "makes S3 ignore them.",
            **evidence,
        )
    return Verdict.passed(f"Bucket {resource.name} has no public ACL grants.", **evidence)


@rule(
    id="PUB-BUCKET-03",
    title="Bucket is not public through its bucket policy",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[Bucket.KIND],
    remediation={
        "aws": ProviderFix(
            console="S3 console > the bucket > Permissions > Bucket policy > Edit: replace "
            'Principal "*" (and any NotPrincipal) in Allow statements with the exact '
            "roles or accounts that need access, or add a restricting condition such as "
            "aws:PrincipalOrgID or aws:SourceVpce. To contain it at once, turn on "
            "RestrictPublicBuckets in the bucket's Block Public Access settings.",
            cli="aws s3api put-public-access-block --bucket BUCKET "
            "--public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,"
            "BlockPublicPolicy=true,RestrictPublicBuckets=true\n"
            "aws s3api get-bucket-policy --bucket BUCKET --query Policy --output text "
            "> policy.json  # edit out the public statements, then:\n"
            "aws s3api put-bucket-policy --bucket BUCKET --policy file://policy.json",
            terraform=_POLICY_TERRAFORM,
            docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
        )
    },
)
def bucket_not_public_via_policy(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A bucket policy that allows everyone opens ePHI to anyone on the internet.

    "Everyone" is Principal "*" or {"AWS": "*"}, or a NotPrincipal, in an Allow statement
    without a condition pinning the caller or network.
    Conditions such as aws:SourceVpce or aws:PrincipalOrgID restrict it; RestrictPublicBuckets
    (bucket or account level) neutralises it.
    """
    props: Bucket = resource.props
    statements = props.public_policy_statements
    evidence: dict[str, JSONValue] = {
        "public_policy_statements": None if statements is None else list(statements),
        **_blocks(props),
    }
    if props.policy_public is None:
        what = (
            "its bucket policy could not be read or parsed"
            if statements is None
            else "the Block Public Access settings that decide whether its public "
            "statements apply could not be read"
        )
        return Verdict.unknown(f"Bucket {resource.name}: {what}.", **evidence)
    named = ", ".join(statements or ())
    if props.policy_public:
        return Verdict.fail(
            f"Bucket {resource.name} is public through its bucket policy (statements {named}).",
            **evidence,
        )
    if statements:
        return Verdict.passed(
            f"Bucket {resource.name} has public policy statements ({named}), but "
            "RestrictPublicBuckets limits them to the owner account and AWS services.",
            **evidence,
        )
    return Verdict.passed(
        f"Bucket {resource.name} has no public bucket-policy statements.", **evidence
    )


@rule(
    id="PUB-BUCKET-04",
    title="Bucket has ACLs disabled (bucket owner enforced)",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[Bucket.KIND],
    remediation={
        "aws": ProviderFix(
            console="S3 console > the bucket > Permissions > Object Ownership > Edit: choose "
            "'ACLs disabled (recommended)' (Bucket owner enforced). Move any access granted "
            "by ACLs (log delivery included) to the bucket policy first.",
            cli="aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls "
            "'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
            terraform='resource "aws_s3_bucket_ownership_controls" "phi" {\n'
            "  bucket = aws_s3_bucket.phi.id\n"
            "  rule {\n"
            '    object_ownership = "BucketOwnerEnforced"\n'
            "  }\n"
            "}",
            docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
        )
    },
)
def bucket_acls_disabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """With ACLs enabled, every object can carry its own grants, invisible at bucket level.

    AWS recommends disabling ACLs so that the bucket policy alone decides who reads ePHI.
    """
    del ctx
    acls = resource.props.acls_enabled
    if acls is None:
        return Verdict.unknown(
            f"Bucket {resource.name}: its object ownership setting could not be read.",
            acls_enabled=None,
        )
    if acls:
        return Verdict.fail(
            f"Bucket {resource.name} has ACLs enabled: objects may carry grants of their own.",
            acls_enabled=True,
        )
    return Verdict.passed(
        f"Bucket {resource.name} has ACLs disabled (bucket owner enforced).", acls_enabled=False
    )
