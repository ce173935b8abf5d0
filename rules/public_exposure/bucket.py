"""Public exposure of object-storage buckets: ACL grants and bucket policy.

The provider decides exposure (it applies bucket- and account-level Block Public Access to
the ACL and the policy); these rules judge those facts and show the evidence. The
bucket-level Block Public Access switches are AWS-only: `bucket_aws`.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.storage import Bucket, PublicAccessBlock
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule
from scanner.serde import to_json


def _block(block: PublicAccessBlock | None) -> JSONValue:
    return None if block is None else to_json(block)


def block_public_access_evidence(props: Bucket) -> dict[str, JSONValue]:
    """The bucket- and account-level Block Public Access settings, as evidence."""
    return {
        "public_access_block": _block(props.public_access_block),
        "account_public_access_block": _block(props.account_public_access_block),
    }


@rule(
    id="PUB-BUCKET-02",
    title="Bucket is not public through its ACL",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[Bucket.KIND],
    providers=("aws", "gcp"),
)
def bucket_not_public_via_acl(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An ACL grant to everyone, or to every authenticated user of the cloud, exposes ePHI.

    Grants the platform is set to ignore (bucket or account level) are not effective and pass.
    """
    props: Bucket = resource.props
    evidence: dict[str, JSONValue] = {
        "public_acl_grants": None
        if props.public_acl_grants is None
        else list(props.public_acl_grants),
        **block_public_access_evidence(props),
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
            f"Bucket {resource.name} has public ACL grants ({grants}), but a public-access "
            "block makes the platform ignore them.",
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
    providers=("aws", "gcp"),
)
def bucket_not_public_via_policy(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A bucket policy that allows everyone opens ePHI to anyone on the internet.

    "Everyone" is any principal, in an Allow statement without a condition pinning the caller
    or network. Conditions on the caller's network or organisation restrict it, and a
    platform switch restricting public policies (bucket or account level) neutralises it.
    """
    props: Bucket = resource.props
    statements = props.public_policy_statements
    evidence: dict[str, JSONValue] = {
        "public_policy_statements": None if statements is None else list(statements),
        **block_public_access_evidence(props),
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
            f"Bucket {resource.name} has public policy statements ({named}), but a "
            "public-access block makes the platform ignore them.",
            **evidence,
        )
    return Verdict.passed(
        f"Bucket {resource.name} has no public bucket-policy statements.", **evidence
    )


@rule(
    id="PUB-BUCKET-04",
    title="Bucket has per-object ACLs disabled",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[Bucket.KIND],
    providers=("aws", "gcp"),
)
def bucket_acls_disabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """With ACLs enabled, every object can carry its own grants, invisible at bucket level.

    Disabling them (the bucket owner owns every object) lets the bucket's policy alone
    decide who reads ePHI.
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
        f"Bucket {resource.name} has per-object ACLs disabled.", acls_enabled=False
    )
