"""What a CloudWatch Logs metric filter pattern catches, judged by matching, not spelling.

A filter covers a security event (root usage, a failed console sign-in, an IAM policy
change...) when its pattern matches *every* representative CloudTrail record of that event
below. So a pattern with extra ``||`` terms still covers, one missing a needed event name
does not, and two spellings of the same condition (``$.errorMessage = "Failed
authentication"`` or ``$.responseElements.ConsoleLogin = "Failure"``) are judged alike.

Both pattern syntaxes are understood: JSON patterns (``{ $.a = "x" && ($.b = y || ...) }``
with ``= != < > <= >=``, ``*`` wildcards, ``%regex%``, ``IS TRUE/FALSE/NULL``, ``EXISTS``
and ``NOT EXISTS``) and term patterns (``"ConsoleLogin" "Failed authentication"``,
``?a ?b``, ``-c``). A pattern that cannot be parsed covers nothing and is flagged
unparsed, so the rule says it could not judge it rather than passing it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scanner.kinds.monitoring_edge import SecurityEvent

Event = Mapping[str, Any]
Matcher = Callable[[Event], bool]

_ACCOUNT = "123456789012"
_USER = {"type": "IAMUser", "arn": f"arn:aws:iam::{_ACCOUNT}:user/alice", "accountId": _ACCOUNT}
_ROOT = {"type": "Root", "arn": f"arn:aws:iam::{_ACCOUNT}:root", "accountId": _ACCOUNT}


def _api(source: str, name: str, identity: Mapping[str, Any] = _USER) -> Event:
    return {
        "eventVersion": "1.08",
        "eventSource": source,
        "eventName": name,
        "eventType": "AwsApiCall",
        "awsRegion": "us-east-1",
        "userIdentity": dict(identity),
    }


# The calls that create, change, attach or detach an IAM policy (the CIS benchmark's 16).
IAM_POLICY_CALLS = (
    "DeleteGroupPolicy",
    "DeleteRolePolicy",
    "DeleteUserPolicy",
    "PutGroupPolicy",
    "PutRolePolicy",
    "PutUserPolicy",
    "CreatePolicy",
    "DeletePolicy",
    "CreatePolicyVersion",
    "DeletePolicyVersion",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "AttachGroupPolicy",
    "DetachGroupPolicy",
)
_EC2_CALLS = {
    SecurityEvent.SECURITY_GROUP_CHANGE: (
        "AuthorizeSecurityGroupIngress",
        "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "CreateSecurityGroup",
        "DeleteSecurityGroup",
    ),
    SecurityEvent.NETWORK_ACL_CHANGE: (
        "CreateNetworkAcl",
        "CreateNetworkAclEntry",
        "DeleteNetworkAcl",
        "DeleteNetworkAclEntry",
        "ReplaceNetworkAclEntry",
        "ReplaceNetworkAclAssociation",
    ),
    SecurityEvent.ROUTE_TABLE_CHANGE: (
        "CreateRoute",
        "CreateRouteTable",
        "ReplaceRoute",
        "ReplaceRouteTableAssociation",
        "DeleteRouteTable",
        "DeleteRoute",
        "DisassociateRouteTable",
    ),
    SecurityEvent.NETWORK_GATEWAY_CHANGE: (
        "CreateCustomerGateway",
        "DeleteCustomerGateway",
        "AttachInternetGateway",
        "CreateInternetGateway",
        "DeleteInternetGateway",
        "DetachInternetGateway",
    ),
}

# The CloudTrail records a filter must match to cover each event (CIS AWS Foundations
# Benchmark, section "Monitoring", lists the same calls).
REPRESENTATIVE_EVENTS: Mapping[SecurityEvent, tuple[Event, ...]] = {
    SecurityEvent.ROOT_USAGE: (
        _api("iam.amazonaws.com", "CreateUser", _ROOT),
        {
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "eventType": "AwsConsoleSignIn",
            "userIdentity": dict(_ROOT),
            "responseElements": {"ConsoleLogin": "Success"},
        },
    ),
    SecurityEvent.CONSOLE_SIGNIN_FAILURE: (
        {
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "eventType": "AwsConsoleSignIn",
            "userIdentity": dict(_USER),
            "errorMessage": "Failed authentication",
            "responseElements": {"ConsoleLogin": "Failure"},
        },
    ),
    SecurityEvent.IAM_POLICY_CHANGE: tuple(
        _api("iam.amazonaws.com", name) for name in IAM_POLICY_CALLS
    ),
    **{
        event: tuple(_api("ec2.amazonaws.com", name) for name in names)
        for event, names in _EC2_CALLS.items()
    },
}


class PatternError(ValueError):
    """A filter pattern this module cannot read."""


def events_matched(pattern: str) -> tuple[SecurityEvent, ...] | None:
    """The security events `pattern` covers; None when the pattern cannot be parsed."""
    try:
        matcher = compile_pattern(pattern)
        return tuple(
            event
            for event, records in REPRESENTATIVE_EVENTS.items()
            if all(matcher(record) for record in records)
        )
    except (ValueError, re.error):
        # PatternError, a quoted term that is not a JSON string, a %regex% Python cannot
        # compile (CloudWatch's regex syntax is not Python's): this one filter is unread,
        # not the region's every filter and alarm.
        return None


def compile_pattern(pattern: str) -> Matcher:
    """A predicate over one log record (a parsed JSON event) for a filter pattern."""
    text = pattern.strip()
    if text.startswith("{"):
        parser = _JsonParser(_tokens(text))
        return parser.parse()
    return _term_matcher(text)


# --- term patterns -------------------------------------------------------------------

_TERM = re.compile(r'[?-]?"(?:[^"\\]|\\.)*"|\S+')


def _term_matcher(text: str) -> Matcher:
    if text.startswith("[") or text.startswith("%"):
        # Space-delimited field patterns and bare regexes describe other log formats.
        raise PatternError(f"unsupported pattern {text!r}")
    required: list[str] = []
    optional: list[str] = []
    excluded: list[str] = []
    for raw in _TERM.findall(text):
        prefix = raw[0] if raw[0] in "?-" else ""
        term = raw[len(prefix) :]
        if term.startswith('"'):
            term = json.loads(term)
        {"?": optional, "-": excluded, "": required}[prefix].append(term)

    def match(record: Event) -> bool:
        # CloudTrail delivers each event to CloudWatch Logs as compact JSON.
        message = json.dumps(record, separators=(",", ":"))
        if any(t in message for t in excluded):
            return False
        if optional:
            return any(t in message for t in optional)
        return all(t in message for t in required)

    return match


# --- JSON patterns -------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\)|\{|\})
      | (?P<selector>\$[\w.\[\]\-]*)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<regex>%[^%]*%)
      | (?P<word>[^\s()&|=!<>"{}]+)
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        matched = _TOKEN.match(text, position)
        if matched is None or matched.end() == position:
            raise PatternError(f"cannot read pattern at {text[position : position + 20]!r}")
        kind = matched.lastgroup or ""
        found.append((kind, matched.group(kind)))
        position = matched.end()
    return found


_MISSING = object()


def _lookup(record: Event, selector: str) -> Any:
    value: Any = record
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", selector[1:].lstrip(".")):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(value, list) or index >= len(value):
                return _MISSING
            value = value[index]
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return _MISSING
    return value


def _wildcard(expected: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(p) for p in expected.split("*")), re.DOTALL)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _compare(actual: Any, op: str, kind: str, expected: str) -> bool:
    if actual is _MISSING or isinstance(actual, Mapping | list):
        return False
    if op in ("<", ">", "<=", ">="):
        left, right = _number(actual), _number(expected)
        if left is None or right is None:
            return False
        return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
    text = json.dumps(actual) if isinstance(actual, bool) or actual is None else str(actual)
    if kind == "regex":
        equal = re.search(expected[1:-1], text) is not None
    elif kind != "string" and _number(expected) is not None and _number(actual) is not None:
        equal = _number(actual) == _number(expected)
    else:
        equal = _wildcard(expected).fullmatch(text) is not None
    return equal if op == "=" else not equal


class _JsonParser:
    """A recursive-descent parser for JSON filter patterns; `parse` returns a matcher."""

    def __init__(self, tokens: Sequence[tuple[str, str]]) -> None:
        self._tokens = list(tokens)
        self._at = 0

    def parse(self) -> Matcher:
        self._expect("{")
        matcher = self._or()
        self._expect("}")
        if self._at != len(self._tokens):
            raise PatternError("text after the closing brace")
        return matcher

    def _peek(self) -> tuple[str, str] | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise PatternError("pattern ends too early")
        self._at += 1
        return token

    def _expect(self, value: str) -> None:
        if self._take()[1] != value:
            raise PatternError(f"expected {value!r}")

    def _or(self) -> Matcher:
        parts = [self._and()]
        while self._peek() == ("op", "||"):
            self._take()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda r: any(p(r) for p in parts))

    def _and(self) -> Matcher:
        parts = [self._unary()]
        while self._peek() == ("op", "&&"):
            self._take()
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else (lambda r: all(p(r) for p in parts))

    def _unary(self) -> Matcher:
        if self._peek() == ("op", "("):
            self._take()
            inner = self._or()
            self._expect(")")
            return inner
        kind, selector = self._take()
        if kind != "selector":
            raise PatternError(f"expected a $.selector, got {selector!r}")
        return self._condition(selector)

    def _condition(self, selector: str) -> Matcher:
        kind, word = self._take()
        if kind == "word" and word.upper() == "IS":
            _, what = self._take()
            wanted = {"TRUE": True, "FALSE": False, "NULL": None}.get(what.upper(), _MISSING)
            if wanted is _MISSING:
                raise PatternError(f"IS {what}")
            return lambda r: (v := _lookup(r, selector)) is not _MISSING and v is wanted
        if kind == "word" and word.upper() == "NOT":
            if self._take()[1].upper() != "EXISTS":
                raise PatternError("NOT without EXISTS")
            return lambda r: _lookup(r, selector) is _MISSING
        if kind == "word" and word.upper() == "EXISTS":
            return lambda r: _lookup(r, selector) is not _MISSING
        if kind != "op" or word not in ("=", "!=", "<", ">", "<=", ">="):
            raise PatternError(f"expected an operator after {selector}")
        value_kind, value = self._take()
        if value_kind not in ("string", "word", "regex"):
            raise PatternError(f"expected a value after {selector} {word}")
        expected = json.loads(value) if value_kind == "string" else value
        return lambda r: _compare(_lookup(r, selector), word, value_kind, expected)
