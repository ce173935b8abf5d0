"""Unit tests for the AWS resource-policy helpers in `providers.aws.policy`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from providers.aws.policy import (
    PolicyParseError,
    Statement,
    action_covers,
    denies_insecure_transport,
    is_restricted,
    is_wildcard_principal,
    parse_document,
    public_statements,
    resource_covers,
    statements,
)

ARN = "arn:aws:s3:::phi-bucket"
OBJECTS = f"{ARN}/*"


def doc(*stmts: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(stmts)}


def allow(
    principal: Any = "*", condition: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    stmt: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": OBJECTS,
        **extra,
    }
    if condition is not None:
        stmt["Condition"] = condition
    return stmt


def tls_deny(**overrides: Any) -> dict[str, Any]:
    stmt: dict[str, Any] = {
        "Sid": "DenyHttp",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [ARN, OBJECTS],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    stmt.update(overrides)
    return {k: v for k, v in stmt.items() if v is not None}


def one(statement: dict[str, Any]) -> Statement:
    (parsed,) = statements(doc(statement))
    return parsed


# --- parsing ---------------------------------------------------------------------------


def test_parse_document_accepts_text_and_mapping() -> None:
    assert parse_document('{"Statement": []}') == {"Statement": []}
    mapping: dict[str, Any] = {"Statement": []}
    assert parse_document(mapping) is mapping


@pytest.mark.parametrize("text", ["{not json", "", "[1, 2]", '"a string"', "null"])
def test_parse_document_rejects_non_objects(text: str) -> None:
    with pytest.raises(PolicyParseError):
        parse_document(text)


@pytest.mark.parametrize(
    "document",
    [
        {"Statement": None},
        {"Statement": "Allow everything"},
        {"Statement": 3},
        {"Statement": ["not an object"]},
        {"Statement": [{"Effect": "Allow", "Principal": ["*"], "Action": "s3:*"}]},
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": {"s3": "*"}}]},
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": [["s3:*"]]}]},
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Condition": ["Bool"]}]},
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Condition": {"Bool": "x"}}]},
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Condition": {"StringEquals": {"aws:SourceVpce": {"a": 1}}},
                }
            ]
        },
    ],
)
def test_malformed_shapes_raise_policy_parse_error(document: dict[str, Any]) -> None:
    with pytest.raises(PolicyParseError):
        statements(document)


def test_statement_fields_normalise_strings_and_lists() -> None:
    stmt = one(
        {
            "Sid": "S1",
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:a", "arn:b"], "Service": "s3.amazonaws.com"},
            "Action": "s3:GetObject",
            "NotResource": [OBJECTS],
            "Condition": {"Bool": {"aws:SecureTransport": False}},
        }
    )
    assert stmt.sid == "S1" and stmt.index == 0 and stmt.allows
    assert stmt.principals == (("AWS", "arn:a"), ("AWS", "arn:b"), ("Service", "s3.amazonaws.com"))
    assert stmt.actions == ("s3:GetObject",)
    assert stmt.resources == () and stmt.not_resources == (OBJECTS,)
    # JSON booleans in conditions compare as text.
    assert stmt.conditions == {"Bool": {"aws:SecureTransport": ("false",)}}


def test_single_statement_object_is_accepted() -> None:
    parsed = statements({"Statement": allow()})
    assert [s.effect for s in parsed] == ["Allow"]


def test_statements_accept_json_text_and_keep_indexes() -> None:
    parsed = statements(json.dumps(doc(tls_deny(), allow())))
    assert [(s.index, s.effect) for s in parsed] == [(0, "Deny"), (1, "Allow")]


# --- principals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("*", True),
        ({"AWS": "*"}, True),
        ({"AWS": ["arn:aws:iam::111122223333:root", "*"]}, True),
        ({"AWS": "arn:aws:iam::111122223333:root"}, False),
        # An ARN pattern matching every account is everyone; one pinning a prefix is not.
        ({"AWS": "arn:aws:iam::*:root"}, True),
        ({"AWS": "arn:aws:iam::*:user/*"}, True),
        ({"AWS": "arn:aws:iam::1111*:root"}, False),
        ({"AWS": "111122223333"}, False),
        ({"Service": "cloudtrail.amazonaws.com"}, False),
        ({"CanonicalUser": "79a59df900b949e55d96a1e698fbaced"}, False),
    ],
)
def test_wildcard_principal(principal: Any, expected: bool) -> None:
    assert is_wildcard_principal(one(allow(principal))) is expected


def test_not_principal_counts_as_everyone() -> None:
    stmt = one(
        {
            "Effect": "Allow",
            "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
            "Action": "s3:*",
            "Resource": OBJECTS,
        }
    )
    assert is_wildcard_principal(stmt)


# --- conditions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
        {"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"StringEqualsIgnoreCase": {"AWS:PRINCIPALORGID": "o-abc123"}},
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-abc123/r-ab12/ou-ab12-1111/*"}},
        {"StringEquals": {"aws:PrincipalAccount": "111122223333"}},
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}},
        {"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}},
        # Near misses of the union rule: private /9 halves; one public /8 alone.
        {"IpAddress": {"aws:SourceIp": ["10.0.0.0/9", "10.128.0.0/9"]}},
        {"IpAddress": {"aws:SourceIp": ["8.0.0.0/8", "10.0.0.0/8"]}},
        {"StringEquals": {"aws:SourceAccount": "111122223333"}},
        {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceVpc": "vpc-1"}},
    ],
)
def test_restricting_conditions(condition: dict[str, Any]) -> None:
    stmt = one(allow({"AWS": "*"}, condition))
    assert is_restricted(stmt)
    assert public_statements(doc(allow({"AWS": "*"}, condition))) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}},
        {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"StringLike": {"aws:PrincipalOrgID": "*"}},
        {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
        {"StringLike": {"aws:SourceVpce": "vpce-?*"}},
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::phi-*"}},
        {"StringLike": {"aws:userid": "*:alice"}},
        {"StringLike": {"aws:PrincipalOrgPaths": "o-*/r-ab12/*"}},
        {"StringEquals": {"aws:SourceVpce": ""}},
        {"StringEquals": {"aws:SourceVpce": ["vpce-1", "*"]}},
        {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
        {"IpAddress": {"aws:SourceIp": "::/0"}},
        {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/1"]}},
        # Item 1: the internet as a union of blocks each narrow enough on its own.
        {"IpAddress": {"aws:SourceIp": ["8.0.0.0/8", "9.0.0.0/8"]}},
        {"IpAddress": {"aws:SourceIp": [f"{n}.0.0.0/8" for n in range(1, 256)]}},
        {"IpAddress": {"aws:VpcSourceIp": ["::/1", "8000::/1"]}},
        {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "not-a-network"]}},
        {"IpAddress": {"aws:SourceIp": "not-a-network"}},
        {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"Bool": {"aws:SecureTransport": "true"}},
        {"StringEquals": {"s3:prefix": "public/"}},
        {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
        {"Null": {"aws:SourceVpce": "false"}},
    ],
)
def test_conditions_that_do_not_restrict(condition: dict[str, Any]) -> None:
    stmt = one(allow("*", condition))
    assert not is_restricted(stmt)
    assert [s.index for s in public_statements(doc(allow("*", condition)))] == [0]


# --- public statements ---------------------------------------------------------------------


def test_public_statements_pick_only_open_allows() -> None:
    policy = doc(
        tls_deny(),
        allow("*", Sid="Open"),
        allow({"AWS": "arn:aws:iam::111122223333:root"}, Sid="Partner"),
        allow({"AWS": "*"}, {"StringEquals": {"aws:SourceVpce": "vpce-1"}}, Sid="Vpce"),
        {
            "Effect": "Allow",
            "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
            "Action": "s3:*",
            "Resource": OBJECTS,
        },
        {
            "Effect": "Deny",
            "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
            "Action": "s3:*",
            "Resource": OBJECTS,
        },
    )
    assert [(s.index, s.sid) for s in public_statements(policy)] == [(1, "Open"), (4, "")]


def test_deny_only_policy_is_not_public() -> None:
    assert public_statements(doc(tls_deny(), tls_deny(Principal={"AWS": "*"}))) == []


def test_empty_policy_has_no_statements() -> None:
    assert statements({"Version": "2012-10-17"}) == []
    assert public_statements("{}") == []


# --- wildcard coverage ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "action", "expected"),
    [
        (["s3:GetObject"], "s3:GetObject", True),
        (["S3:getobject"], "s3:GetObject", True),
        (["s3:Get*"], "s3:GetObject", True),
        (["s3:Put*"], "s3:GetObject", False),
        (["s3:Get?bject"], "s3:GetObject", True),
        (["*"], "s3:*", True),
        (["s3:*"], "s3:*", True),
        (["S3:*"], "s3:*", True),
        (["s3*"], "s3:*", True),
        (["s3:Get*"], "s3:*", False),
        (["s3:?"], "s3:*", False),
        (["s3:GetObject", "s3:PutObject"], "s3:*", False),
        ([], "s3:*", False),
        (["s3:[a]*"], "s3:[a]x", True),
    ],
)
def test_action_covers(patterns: list[str], action: str, expected: bool) -> None:
    assert action_covers(patterns, action) is expected


@pytest.mark.parametrize(
    ("patterns", "resource", "expected"),
    [
        ([ARN], ARN, True),
        ([OBJECTS], OBJECTS, True),
        (["arn:aws:s3:::phi-bucket*"], OBJECTS, True),
        (["arn:aws:s3:::phi-bucket*"], ARN, True),
        (["*"], OBJECTS, True),
        (["arn:aws:s3:::phi-bucket/private/*"], OBJECTS, False),
        (["arn:aws:s3:::phi-bucket/?"], OBJECTS, False),
        (["arn:aws:s3:::PHI-bucket"], ARN, False),
        ([OBJECTS], ARN, False),
    ],
)
def test_resource_covers(patterns: list[str], resource: str, expected: bool) -> None:
    assert resource_covers(patterns, resource) is expected


# --- TLS-only Deny ---------------------------------------------------------------------------

REQUIRED = (ARN, OBJECTS)


@pytest.mark.parametrize(
    "stmt",
    [
        tls_deny(),
        tls_deny(Principal={"AWS": "*"}),
        tls_deny(Action="*"),
        tls_deny(Action=["s3:*"]),
        tls_deny(Resource=["arn:aws:s3:::phi-bucket*"]),
        tls_deny(Resource="*"),
        tls_deny(Condition={"Bool": {"aws:SecureTransport": False}}),
        tls_deny(Condition={"BoolIfExists": {"aws:SecureTransport": "false"}}),
    ],
)
def test_tls_deny_recognised(stmt: dict[str, Any]) -> None:
    assert denies_insecure_transport(doc(stmt), "s3", REQUIRED)
    assert denies_insecure_transport(json.dumps(doc(allow(), stmt)), "s3", REQUIRED)


@pytest.mark.parametrize(
    "stmt",
    [
        tls_deny(Effect="Allow"),
        tls_deny(Principal={"AWS": "arn:aws:iam::111122223333:root"}),
        tls_deny(Action="s3:GetObject"),
        tls_deny(Action="s3:Get*"),
        tls_deny(Resource=OBJECTS),
        tls_deny(Resource=ARN),
        tls_deny(Resource="arn:aws:s3:::other-bucket/*"),
        tls_deny(Condition={"Bool": {"aws:SecureTransport": "true"}}),
        tls_deny(Condition=None),
        tls_deny(
            Condition={
                "Bool": {"aws:SecureTransport": "false"},
                "StringNotEquals": {"aws:SourceVpce": "vpce-1"},
            }
        ),
        tls_deny(
            Condition={"Bool": {"aws:SecureTransport": "false", "aws:ViaAWSService": "false"}}
        ),
        tls_deny(Condition={"NumericLessThan": {"s3:TlsVersion": "1.2"}}),
        {**tls_deny(Action=None), "NotAction": "s3:GetObject"},
        {**tls_deny(Resource=None), "NotResource": "arn:aws:s3:::other/*"},
    ],
)
def test_tls_deny_near_misses(stmt: dict[str, Any]) -> None:
    assert not denies_insecure_transport(doc(stmt), "s3", REQUIRED)


def test_tls_deny_may_split_resources_across_statements() -> None:
    split = doc(tls_deny(Resource=ARN), tls_deny(Resource=OBJECTS))
    assert denies_insecure_transport(split, "s3", REQUIRED)
    # ...but an unqualified statement does not complete the cover.
    half = doc(tls_deny(Resource=ARN), tls_deny(Resource=OBJECTS, Action="s3:GetObject"))
    assert not denies_insecure_transport(half, "s3", REQUIRED)


def test_tls_deny_with_no_required_resources_still_needs_a_statement() -> None:
    assert denies_insecure_transport(doc(tls_deny()), "s3", ())
    assert not denies_insecure_transport(doc(allow()), "s3", ())


def test_tls_deny_malformed_document_raises() -> None:
    with pytest.raises(PolicyParseError):
        denies_insecure_transport("{oops", "s3", REQUIRED)


@pytest.mark.parametrize(
    ("principal", "anyone"),
    [
        ({"AWS": "arn:aws:iam::*:root"}, True),
        ({"AWS": "arn:*:iam::*:*"}, True),
        ({"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::*:user/*"]}, True),
        ({"AWS": "arn:aws:iam::????????????:root"}, True),
        # Near misses: one account, or a prefix of account ids, is not everyone.
        ({"AWS": "arn:aws:iam::111122223333:root"}, False),
        ({"AWS": "arn:aws:iam::1111*:root"}, False),
        ({"AWS": "arn:aws:iam::111122223333:role/*"}, False),
        ({"Service": "s3.amazonaws.com"}, False),
    ],
)
def test_an_arn_pattern_matching_every_account_is_anyone(principal: Any, anyone: bool) -> None:
    assert is_wildcard_principal(one(allow(principal))) is anyone
    expected = [0] if anyone else []
    assert [s.index for s in public_statements(doc(allow(principal)))] == expected
    # A restricting condition still closes it.
    pinned = allow(principal, {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})
    assert public_statements(doc(pinned)) == []


def test_a_function_url_statement_without_auth_is_open() -> None:
    # The statement Lambda writes for a function URL with AuthType NONE: the condition
    # names the URL's auth type, not the caller, so it restricts nothing.
    stmt = {
        "Sid": "FunctionURLAllowPublicAccess",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "lambda:InvokeFunctionUrl",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
    }
    assert [s.sid for s in public_statements(doc(stmt))] == ["FunctionURLAllowPublicAccess"]
