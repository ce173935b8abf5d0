"""Metric filter patterns are judged by the audit records they match, not by spelling."""

from __future__ import annotations

import pytest

from providers.aws.metric_filters import (
    REPRESENTATIVE_EVENTS,
    PatternError,
    compile_pattern,
    events_matched,
)
from scanner.kinds.monitoring_edge import SecurityEvent as E

IAM_CALLS = [str(r["eventName"]) for r in REPRESENTATIVE_EVENTS[E.IAM_POLICY_CHANGE]]
SG_CALLS = [str(r["eventName"]) for r in REPRESENTATIVE_EVENTS[E.SECURITY_GROUP_CHANGE]]


def either(names: list[str], selector: str = "$.eventName") -> str:
    return "{ " + " || ".join(f"({selector} = {n})" for n in names) + " }"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # CIS root usage, and an equivalent written differently.
        (
            '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
            '$.eventType != "AwsServiceEvent" }',
            {E.ROOT_USAGE},
        ),
        ('{$.userIdentity.type="Root"}', {E.ROOT_USAGE}),
        # Near miss: root API calls only, not console sign-ins.
        ('{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }', set()),
        (
            '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
            {E.CONSOLE_SIGNIN_FAILURE},
        ),
        (
            '{ $.eventName = "ConsoleLogin" && $.responseElements.ConsoleLogin = "Failure" }',
            {E.CONSOLE_SIGNIN_FAILURE},
        ),
        # Near miss: successful sign-ins.
        ('{ $.eventName = ConsoleLogin && $.responseElements.ConsoleLogin = "Success" }', set()),
        (either(IAM_CALLS), {E.IAM_POLICY_CHANGE}),
        # Extra OR terms still cover; one call missing does not.
        (either([*IAM_CALLS, "CreateUser", "DeleteUser"]), {E.IAM_POLICY_CHANGE}),
        (either(IAM_CALLS[:-1]), set()),
        # Wildcards and a source restriction that matches.
        (
            '{ $.eventSource = "iam.amazonaws.com" && ($.eventName = *Policy*) }',
            {E.IAM_POLICY_CHANGE},
        ),
        # A source restriction that does not match.
        ('{ $.eventSource = "s3.amazonaws.com" && ($.eventName = *Policy*) }', set()),
        (either(SG_CALLS), {E.SECURITY_GROUP_CHANGE}),
        (
            "{ $.eventName = %(Security|Network)(Group|Acl)% }",
            {E.SECURITY_GROUP_CHANGE, E.NETWORK_ACL_CHANGE},
        ),
        # Term patterns: all terms, any ?term, no -term.
        ('"ConsoleLogin" "Failed authentication"', {E.CONSOLE_SIGNIN_FAILURE}),
        ('"ConsoleLogin" -"Failed authentication"', set()),
        # A term spanning a key and its value, as the compact JSON CloudTrail delivers.
        (
            '"ConsoleLogin" "\\"errorMessage\\":\\"Failed authentication\\""',
            {E.CONSOLE_SIGNIN_FAILURE},
        ),
        ("?AttachUserPolicy ?DetachUserPolicy", set()),
    ],
)
def test_events_matched(pattern: str, expected: set[E]) -> None:
    assert set(events_matched(pattern) or ()) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        "{ $.eventName = ",
        "{ $.a = b } trailing",
        "{ eventName = x }",
        "[ip, user]",
        "{ $.a IS MAYBE }",
    ],
)
def test_unreadable_patterns_are_flagged(pattern: str) -> None:
    assert events_matched(pattern) is None
    with pytest.raises(PatternError):
        compile_pattern(pattern)


def test_matching_is_consistent_with_boolean_algebra() -> None:
    # Property: A || B matches what either matches; A && B what both match.
    parts = ["$.eventName = ConsoleLogin", '$.userIdentity.type = "Root"', "$.eventName = *Route*"]
    records = [r for rs in REPRESENTATIVE_EVENTS.values() for r in rs]
    for a in parts:
        for b in parts:
            one, two = compile_pattern(f"{{ {a} }}"), compile_pattern(f"{{ {b} }}")
            both = compile_pattern(f"{{ ({a}) && ({b}) }}")
            any_ = compile_pattern(f"{{ ({a}) || ({b}) }}")
            for record in records:
                assert both(record) == (one(record) and two(record))
                assert any_(record) == (one(record) or two(record))


def test_numbers_null_and_exists() -> None:
    record = {"a": 5, "b": None, "c": True, "d": {"e": [1, 2]}}
    assert compile_pattern("{ $.a > 4 && $.a <= 5 && $.a = 5 }")(record)
    assert compile_pattern("{ $.b IS NULL && $.c IS TRUE && $.d.e[1] = 2 }")(record)
    assert compile_pattern("{ $.z NOT EXISTS && $.a EXISTS }")(record)
    assert not compile_pattern("{ $.a != 5 }")(record)


@pytest.mark.parametrize(
    "pattern",
    [
        '"abc',  # a quoted term never closed
        '"\\q"',  # an escape JSON does not know
        "{ $.eventName = %[% }",  # a regex Python cannot compile
    ],
)
def test_patterns_that_break_while_read_are_one_unread_filter(pattern: str) -> None:
    assert events_matched(pattern) is None
