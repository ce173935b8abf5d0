"""The pure IAM policy helpers: admin, service wildcards, trust openness, document forms."""

from __future__ import annotations

import json
import urllib.parse
from datetime import UTC, datetime
from typing import Any

import pytest

from providers.aws import iam_analysis as ia
from providers.aws.policy import PolicyParseError


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Allow", **fields}


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("*", "*"),
        (["*"], ["*"]),
        ("*", ["*"]),
        (["s3:GetObject", "*"], ["arn:aws:s3:::b", "*"]),
        (" *", "*"),
        ("*:*", "*"),
    ],
)
def test_admin_action_and_resource_forms(action: Any, resource: Any) -> None:
    assert ia.admin_statements(doc(allow(Action=action, Resource=resource))) == (
        "Statement[0]: Allow Action * on Resource *",
    )


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("s3:*", "*"),  # a whole service is not full admin
        ("*", "arn:aws:s3:::phi/*"),  # everything on one ARN is not full admin
        (["*"], ["arn:aws:iam::123456789012:role/*"]),
        ("iam:*", ["*"]),
        ("s3:Get*", "*"),
    ],
)
def test_near_misses_are_not_admin(action: Any, resource: Any) -> None:
    assert ia.admin_statements(doc(allow(Action=action, Resource=resource))) == ()


def test_deny_never_grants() -> None:
    document = doc(
        {"Effect": "Deny", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
    )
    assert ia.admin_statements(document) == ()
    assert ia.service_wildcards(document) == ()


def test_not_action_on_every_resource_is_admin() -> None:
    document = doc(allow(Sid="AllButIam", NotAction=["iam:*", "organizations:*"], Resource="*"))
    assert ia.admin_statements(document) == (
        "Statement[0] (Sid AllButIam): Allow NotAction [iam:*, organizations:*] on Resource *",
    )


def test_not_action_near_misses() -> None:
    # NotAction "*" excludes everything; NotAction on one ARN is not every resource.
    assert ia.admin_statements(doc(allow(NotAction="*", Resource="*"))) == ()
    assert ia.admin_statements(doc(allow(NotAction="iam:*", Resource="arn:aws:s3:::b"))) == ()
    # A NotAction statement is admin, not a service wildcard.
    assert ia.service_wildcards(doc(allow(NotAction="s3:*", Resource="*"))) == ()


def test_not_resource_with_every_action_is_admin() -> None:
    document = doc(allow(Action="*", NotResource="arn:aws:s3:::audit-logs/*"))
    assert ia.admin_statements(document) == (
        "Statement[0]: Allow Action * on every resource except [arn:aws:s3:::audit-logs/*]",
    )
    assert ia.admin_statements(doc(allow(Action="*", NotResource="*"))) == ()


def test_conditions_do_not_make_admin_less_admin() -> None:
    document = doc(
        allow(Action="*", Resource="*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    assert ia.admin_statements(document) == (
        "Statement[0]: Allow Action * on Resource * with conditions",
    )


def test_single_statement_object_and_indexes() -> None:
    single = {"Version": "2012-10-17", "Statement": allow(Action="*", Resource="*")}
    assert len(ia.admin_statements(single)) == 1
    two = doc(allow(Action="s3:GetObject", Resource="*"), allow(Action="*", Resource="*"))
    assert ia.admin_statements(two) == ("Statement[1]: Allow Action * on Resource *",)


def test_service_wildcards() -> None:
    document = doc(
        allow(Action=["S3:*", "kms:*", "ec2:Describe*"], Resource="*"),
        allow(Action="s3:*", Resource=["*"]),
        allow(Action="dynamodb:*", Resource="arn:aws:dynamodb:*:*:table/phi"),
        allow(Action="*", Resource="*"),
    )
    assert ia.service_wildcards(document) == ("kms:*", "s3:*")
    assert ia.service_wildcards(doc(allow(Action="logs:*", NotResource="arn:x"))) == ("logs:*",)


def trust(principal: Any, **extra: Any) -> dict[str, Any]:
    return doc(allow(Principal=principal, Action="sts:AssumeRole", **extra))


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::1:root", "*"]}])
def test_trust_open_to_anyone(principal: Any) -> None:
    assert ia.open_trust_statements(trust(principal)) == (
        "Statement[0]: Allow Principal * to assume the role",
    )


def test_trust_external_id_alone_does_not_restrict() -> None:
    document = trust("*", Condition={"StringEquals": {"sts:ExternalId": "abc"}})
    assert ia.open_trust_statements(document) == (
        "Statement[0]: Allow Principal * to assume the role (sts:ExternalId alone does not "
        "restrict) with conditions",
    )


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
        {"StringEquals": {"aws:PrincipalAccount": ["111122223333"]}},
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc", "sts:ExternalId": "abc"}},
    ],
)
def test_trust_restricted_by_condition(condition: dict[str, Any]) -> None:
    assert ia.open_trust_statements(trust({"AWS": "*"}, Condition=condition)) == ()


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}},  # negated: opens, not restricts
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}},
        {"StringLike": {"aws:PrincipalOrgID": "*"}},
    ],
)
def test_trust_conditions_that_do_not_restrict(condition: dict[str, Any]) -> None:
    assert len(ia.open_trust_statements(trust("*", Condition=condition))) == 1


def test_trust_named_principals_and_services_are_not_open() -> None:
    assert ia.open_trust_statements(trust({"Service": "ec2.amazonaws.com"})) == ()
    assert ia.open_trust_statements(trust({"AWS": "arn:aws:iam::111122223333:root"})) == ()
    assert ia.open_trust_statements(trust({"Federated": "cognito-identity.amazonaws.com"})) == ()
    denied = doc({"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"})
    assert ia.open_trust_statements(denied) == ()


def test_trust_actions() -> None:
    tag_only = doc(allow(Principal="*", Action="sts:TagSession"))
    assert ia.open_trust_statements(tag_only) == ()
    web = doc(allow(Principal={"AWS": "*"}, Action=["sts:AssumeRoleWithWebIdentity"]))
    assert len(ia.open_trust_statements(web)) == 1
    star = doc(allow(Principal="*", Action="sts:*"))
    assert len(ia.open_trust_statements(star)) == 1
    not_assume = doc(allow(Principal="*", NotAction="sts:AssumeRole*"))
    assert ia.open_trust_statements(not_assume) == ()
    not_tag = doc(allow(Principal="*", NotAction="sts:TagSession"))
    assert len(ia.open_trust_statements(not_tag)) == 1


def test_trust_not_principal_is_open() -> None:
    document = doc(allow(NotPrincipal={"AWS": "arn:aws:iam::1:root"}, Action="sts:AssumeRole"))
    assert ia.open_trust_statements(document) == (
        "Statement[0]: Allow NotPrincipal to assume the role",
    )
    assert ia.trusted_principals(document) == ("NotPrincipal:AWS:arn:aws:iam::1:root",)


def test_trusted_principals() -> None:
    document = doc(
        allow(
            Principal={
                "Service": ["lambda.amazonaws.com", "ec2.amazonaws.com"],
                "AWS": "arn:aws:iam::1:root",
            },
            Action="sts:AssumeRole",
        ),
        {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::2:root"}, "Action": "sts:AssumeRole"},
    )
    assert ia.trusted_principals(document) == (
        "AWS:arn:aws:iam::1:root",
        "Service:ec2.amazonaws.com",
        "Service:lambda.amazonaws.com",
    )


def test_load_document_forms() -> None:
    document = doc(allow(Action="*", Resource="*"))
    text = json.dumps(document)
    assert ia.load_document(document) is document
    assert ia.load_document(text) == document
    assert ia.load_document(urllib.parse.quote(text)) == document
    assert ia.admin_statements(urllib.parse.quote(text)) == ia.admin_statements(document)


@pytest.mark.parametrize("bad", ["{nope", "[1, 2]", urllib.parse.quote("[]"), "", 42, None])
def test_load_document_rejects_malformed(bad: Any) -> None:
    with pytest.raises(PolicyParseError):
        ia.load_document(bad)


def test_statement_that_is_not_an_object_is_malformed() -> None:
    with pytest.raises(PolicyParseError):
        ia.admin_statements({"Statement": ["not-an-object"]})


def test_small_helpers() -> None:
    assert ia.name_from_arn("arn:aws:iam::123456789012:policy/team/a/app-policy") == "app-policy"
    start = datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert ia.whole_days(start, datetime(2024, 4, 1, 11, tzinfo=UTC)) == 90
    assert ia.whole_days(start, datetime(2024, 4, 1, 12, tzinfo=UTC)) == 91
    assert ia.whole_days(datetime(2024, 5, 1, tzinfo=UTC), start) == 0


def test_all_action_grants_on_named_resources() -> None:
    document = doc(
        allow(Action="*", Resource="arn:aws:s3:::phi-bucket"),
        allow(Action=["*"], Resource=["arn:aws:s3:::a", "arn:aws:s3:::a/*"]),
        allow(Action="*", Resource="*"),  # admin, judged by its own rule
        allow(Action="s3:*", Resource="arn:aws:s3:::b"),  # a service, not every action
        {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::c"},
    )
    assert ia.all_action_grants(document) == (
        "Statement[0]: Allow Action * on arn:aws:s3:::phi-bucket",
        "Statement[1]: Allow Action * on arn:aws:s3:::a, arn:aws:s3:::a/*",
    )
    assert ia.all_action_grants(doc(allow(Action="*", NotResource="*"))) == (
        "Statement[0]: Allow Action * on no resource",
    )


# --- item 5: every resource judged by ARN-pattern coverage ----------------------------------


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:*:*:*:*",  # the reported spelling
        "arn:*:*:*:*:*",
        "arn:*",
        "arn:aws:*",
        ["arn:aws:s3:::phi", "arn:aws:*:*:*:*"],
    ],
)
def test_every_resource_written_as_an_arn_is_admin(resource: Any) -> None:
    document = doc(allow(Action="*", Resource=resource))
    assert len(ia.admin_statements(document)) == 1
    assert ia.all_action_grants(document) == ()
    not_action = doc(allow(NotAction="iam:*", Resource=resource))
    assert len(ia.admin_statements(not_action)) == 1


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws-cn:*:*:*:*",  # another partition than the account's
        "arn:AWS:*:*:*:*",  # ARN segments are case-sensitive
        "arn:aws:*:us-east-1:*:*",  # one region
        "arn:aws:*:*:*:*/*",  # misses ARNs without a slash (buckets, topics)
        "arn:aws:s3:::*",  # a whole service, not every resource
    ],
)
def test_arn_near_misses_are_not_every_resource(resource: str) -> None:
    assert ia.admin_statements(doc(allow(Action="*", Resource=resource))) == ()


def test_partition_aware() -> None:
    document = doc(allow(Action="*", Resource="arn:aws-us-gov:*:*:*:*"))
    assert ia.admin_statements(document) == ()
    assert len(ia.admin_statements(document, partition="aws-us-gov")) == 1


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (allow(Action="s3:*", Resource="arn:aws:s3:::*"), ("s3:*",)),  # the reported spelling
        (allow(Action="s3:*", Resource=["arn:aws:s3:::*/*", "arn:aws:s3:::*"]), ("s3:*",)),
        (allow(Action="*", Resource="arn:aws:s3:::*"), ("s3:*",)),
        (allow(Action="kms:*", Resource="arn:aws:kms:*:*:key/*"), ("kms:*",)),
        (allow(Action="KMS:*", Resource="arn:aws:kms:*:123456789012:key/*"), ("kms:*",)),
        (allow(NotAction="s3:DeleteBucket", Resource="arn:aws:s3:::*"), ("s3:*",)),
        (allow(Action="dynamodb:*", Resource="arn:aws:dynamodb:*:*:table/*"), ("dynamodb:*",)),
        # Near misses: one bucket prefix, one region, one key, the service excluded, reads.
        (allow(Action="s3:*", Resource="arn:aws:s3:::phi-*"), ()),
        (allow(Action="kms:*", Resource="arn:aws:kms:us-east-1:*:key/*"), ()),
        (allow(Action="kms:*", Resource="arn:aws:kms:*:*:key/1234"), ()),
        (allow(NotAction="s3:*", Resource="arn:aws:s3:::*"), ()),
        (allow(Action="s3:Get*", Resource="arn:aws:s3:::*"), ()),
        (allow(Action="s3:*", Resource="arn:aws:s3:::*/*"), ()),  # objects, not buckets
    ],
)
def test_service_wildcards_by_arn_coverage(
    statement: dict[str, Any], expected: tuple[str, ...]
) -> None:
    document = doc(statement)
    assert ia.service_wildcards(document, account="123456789012") == expected
    assert ia.admin_statements(document, account="123456789012") == ()


def test_all_actions_on_a_named_resource_stays_the_lower_finding() -> None:
    document = doc(allow(Action="*", Resource="arn:aws:s3:::phi-records"))
    assert ia.all_action_grants(document) == (
        "Statement[0]: Allow Action * on arn:aws:s3:::phi-records",
    )
    assert ia.service_wildcards(document) == ()


# --- item 4: federated trust without a subject or audience pin --------------------------------

GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
EKS = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"
GITLAB = "arn:aws:iam::123456789012:oidc-provider/gitlab.com"
TFC = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io"


def web_identity(
    provider: str,
    condition: dict[str, Any] | None = None,
    action: str = "sts:AssumeRoleWithWebIdentity",
) -> dict[str, Any]:
    extra = {"Condition": condition} if condition else {}
    return doc(allow(Principal={"Federated": provider}, Action=action, **extra))


GH_AUD = {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}


@pytest.mark.parametrize(
    ("provider", "condition"),
    [
        (GITHUB, {"StringEquals": GH_AUD}),  # the reported spelling: aud only
        (GITHUB, None),
        (GITHUB, {"StringLike": {"token.actions.githubusercontent.com:sub": "*"}}),
        (GITHUB, {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}),
        (GITHUB, {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo*"}}),
        (
            GITHUB,
            {
                "StringLikeIfExists": {
                    "token.actions.githubusercontent.com:sub": "repo:octo-org/app:*"
                }
            },
        ),
        (GITHUB, {"StringNotEquals": {"token.actions.githubusercontent.com:sub": "repo:x/y"}}),
        (GITLAB, {"StringEquals": {"gitlab.com:aud": "https://gitlab.com"}}),
        (TFC, {"StringLike": {"app.terraform.io:sub": "organization:*"}}),
        (
            EKS,
            {
                "StringEquals": {
                    "oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com"
                }
            },
        ),
        (
            "cognito-identity.amazonaws.com",
            {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}},
        ),
        ("accounts.google.com", None),
    ],
)
def test_unpinned_federated_trust_is_open(provider: str, condition: dict[str, Any] | None) -> None:
    (found,) = ia.open_trust_statements(web_identity(provider, condition))
    assert "Allow Federated" in found
    assert "without a pinned" in found


@pytest.mark.parametrize(
    ("provider", "condition"),
    [
        (
            GITHUB,
            {
                "StringEquals": {
                    **GH_AUD,
                    "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main",  # noqa: E501
                }
            },
        ),
        (
            GITHUB,
            {
                "StringEquals": GH_AUD,
                "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/*"},
            },
        ),
        (GITLAB, {"StringLike": {"gitlab.com:sub": "project_path:nwh/infra:ref_type:branch:*"}}),
        (TFC, {"StringLike": {"app.terraform.io:sub": "organization:nwh:project:*"}}),
        (
            EKS,
            {
                "StringEquals": {
                    "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:billing:exporter"  # noqa: E501
                }
            },
        ),
        (
            "cognito-identity.amazonaws.com",
            {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:1234-abcd"}},
        ),
        ("accounts.google.com", {"StringEquals": {"accounts.google.com:aud": "1234.apps"}}),
        # SAML federation names the customer's own identity provider.
        ("arn:aws:iam::123456789012:saml-provider/okta", None),
    ],
)
def test_pinned_federated_trust_is_not_open(
    provider: str, condition: dict[str, Any] | None
) -> None:
    assert ia.open_trust_statements(web_identity(provider, condition)) == ()


def test_federated_principal_without_web_identity_action_is_not_judged() -> None:
    assert ia.open_trust_statements(web_identity(GITHUB, None, action="sts:TagSession")) == ()


# --- item 6: admin-equivalent AWS-managed policies; confused-deputy trusts -------------------


@pytest.mark.parametrize(
    ("arn", "partition", "admin"),
    [
        ("arn:aws:iam::aws:policy/AdministratorAccess", "aws", True),
        ("arn:aws:iam::aws:policy/PowerUserAccess", "aws", True),
        ("arn:aws:iam::aws:policy/IAMFullAccess", "aws", True),
        ("arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "aws-us-gov", True),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", "aws", False),
        ("arn:aws:iam::aws:policy/job-function/AdministratorAccess", "aws", False),
        ("arn:aws:iam::123456789012:policy/AdministratorAccess", "aws", False),  # customer's
    ],
)
def test_aws_managed_admin(arn: str, partition: str, admin: bool) -> None:
    assert (ia.aws_managed_admin(arn, partition) is not None) is admin


OWN = "123456789012"
VENDOR = "arn:aws:iam::999988887777:root"


@pytest.mark.parametrize(
    ("principal", "condition", "unguarded"),
    [
        ({"AWS": VENDOR}, None, True),
        ({"AWS": "999988887777"}, None, True),
        ({"AWS": ["arn:aws:iam::999988887777:role/ci", f"arn:aws:iam::{OWN}:root"]}, None, True),
        ({"AWS": VENDOR}, {"StringEquals": {"sts:ExternalId": "nwh-7f3a"}}, False),
        ({"AWS": VENDOR}, {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}, False),
        ({"AWS": VENDOR}, {"StringEqualsIfExists": {"sts:ExternalId": "x"}}, True),
        ({"AWS": VENDOR}, {"StringNotEquals": {"sts:ExternalId": "x"}}, True),
        ({"AWS": f"arn:aws:iam::{OWN}:root"}, None, False),  # the account itself
        ({"Service": "lambda.amazonaws.com"}, None, False),
        ({"AWS": "*"}, None, False),  # open to anyone: IAM-ROLE-01's finding
    ],
)
def test_unguarded_cross_account_statements(
    principal: Any, condition: Any, unguarded: bool
) -> None:
    extra = {"Condition": condition} if condition else {}
    document = doc(allow(Principal=principal, Action="sts:AssumeRole", **extra))
    assert bool(ia.unguarded_cross_account_statements(document, OWN)) is unguarded


@pytest.mark.parametrize(
    ("action", "resource", "granted"),
    [
        ("kms:Decrypt", "*", "kms:Decrypt"),
        ("kms:*", "arn:aws:kms:*:*:key/*", "kms:Decrypt, kms:ReEncryptFrom"),
        ("kms:De*", "arn:aws:kms:*:123456789012:key/*", "kms:Decrypt"),
        ("kms:ReEncrypt*", "*", "kms:ReEncryptFrom"),
        ("*", "arn:aws:*:*:*:*", "kms:Decrypt, kms:ReEncryptFrom"),
        (["KMS:decrypt"], ["arn:aws:kms:*:*:*"], "kms:Decrypt"),
    ],
)
def test_kms_decrypt_on_every_key(action: Any, resource: Any, granted: str) -> None:
    found = ia.kms_decrypt_all_keys(
        doc(allow(Action=action, Resource=resource)), account="123456789012"
    )
    assert found == (f"Statement[0]: Allow {granted} on every key",)


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1234abcd"),  # one key
        ("kms:Decrypt", "arn:aws:kms:us-east-1:*:key/*"),  # one region only
        ("kms:Encrypt", "*"),
        ("kms:ReEncryptTo", "*"),  # re-encrypting *to* a key reads nothing
        ("kms:Describe*", "*"),
        ("s3:*", "*"),
    ],
)
def test_kms_decrypt_near_misses(action: Any, resource: Any) -> None:
    assert ia.kms_decrypt_all_keys(doc(allow(Action=action, Resource=resource))) == ()


def test_kms_decrypt_not_action_not_resource_and_deny() -> None:
    not_action = {"Effect": "Allow", "NotAction": "kms:Decrypt", "Resource": "*"}
    assert ia.kms_decrypt_all_keys(doc(not_action)) == (
        "Statement[0]: Allow kms:ReEncryptFrom on every key",
    )
    all_but_one = {
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "NotResource": "arn:aws:kms:us-east-1:123456789012:key/one",
    }
    assert ia.kms_decrypt_all_keys(doc(all_but_one)) == (
        "Statement[0]: Allow kms:Decrypt on every key",
    )
    every_key_excluded = {"Effect": "Allow", "Action": "kms:Decrypt", "NotResource": "*"}
    assert ia.kms_decrypt_all_keys(doc(every_key_excluded)) == ()
    deny = {"Effect": "Deny", "Action": "kms:*", "Resource": "*"}
    assert ia.kms_decrypt_all_keys(doc(deny)) == ()
    conditional = {
        **allow(Action="kms:Decrypt", Resource="*"),
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    }
    assert ia.kms_decrypt_all_keys(doc(conditional)) == (
        "Statement[0]: Allow kms:Decrypt on every key with conditions",
    )
