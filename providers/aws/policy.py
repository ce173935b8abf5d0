"""Pure helpers that read AWS resource-policy documents (S3, SNS, SQS, KMS, EFS, IAM trust).

They answer the questions rules ask of a policy: does any Allow statement open the
resource to anyone (`public_statements`), and does a Deny statement refuse requests not
sent over TLS (`denies_insecure_transport`). Fields may be strings or lists, `Principal`
may be ``"*"`` or ``{"AWS": "*"}``; a condition on an identity or network key
(``aws:SourceVpce``, ``aws:PrincipalOrgID``...) restricts a wildcard principal.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Condition keys that pin a request to a known caller or network. A wildcard principal
# whose statement requires one of these (with a positive operator) is not public.
RESTRICTING_KEYS = frozenset({
    "aws:sourcevpce", "aws:sourcevpc", "aws:principalorgid", "aws:principalorgpaths",
    "aws:principalaccount", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid",
    "aws:sourceorgpaths", "aws:principalarn", "aws:userid", "aws:sourceowner",
    "aws:sourceip", "aws:vpcsourceip", "aws:principalserviceName".lower(),
    "kms:calleraccount", "kms:viaservice", "sns:endpoint", "s3:dataaccesspointaccount",
    "elasticfilesystem:accesspointarn",
})
# Positive operators only: "StringNotEquals aws:PrincipalOrgID" in an Allow opens the
# resource to everyone outside the organisation, so negated operators never restrict.
POSITIVE_OPERATORS = frozenset({
    "stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike",
    "ipaddress",
})
_OPEN_NETWORKS = frozenset({"0.0.0.0/0", "::/0"})


class PolicyParseError(ValueError):
    """A policy document that is not valid JSON or not a JSON object."""


@dataclass(frozen=True)
class Statement:
    """One policy statement with every string-or-list field normalised to a tuple."""

    index: int
    sid: str
    effect: str
    principals: tuple[tuple[str, str], ...]
    not_principals: tuple[tuple[str, str], ...]
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    conditions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def allows(self) -> bool:
        """True for an Allow statement."""
        return self.effect == "Allow"


def parse_document(document: str | Mapping[str, Any]) -> Mapping[str, Any]:
    """A policy document as a mapping; accepts the JSON text or an already-parsed dict."""
    if isinstance(document, Mapping):
        return document
    try:
        parsed = json.loads(document)
    except (json.JSONDecodeError, TypeError) as exc:
        raise PolicyParseError(f"policy is not valid JSON: {exc}") from None
    if not isinstance(parsed, Mapping):
        raise PolicyParseError("policy is not a JSON object")
    return parsed


def statements(document: str | Mapping[str, Any]) -> list[Statement]:
    """The normalised statements of a policy document (a single statement object is allowed)."""
    doc = parse_document(document)
    raw = doc.get("Statement", [])
    items = [raw] if isinstance(raw, Mapping) else list(raw)
    result = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise PolicyParseError(f"statement {index} is not an object")
        result.append(Statement(
            index=index,
            sid=str(item.get("Sid", "")),
            effect=str(item.get("Effect", "")),
            principals=_principals(item.get("Principal")),
            not_principals=_principals(item.get("NotPrincipal")),
            actions=_strings(item.get("Action")),
            not_actions=_strings(item.get("NotAction")),
            resources=_strings(item.get("Resource")),
            not_resources=_strings(item.get("NotResource")),
            conditions=_conditions(item.get("Condition")),
        ))
    return result


def is_wildcard_principal(stmt: Statement) -> bool:
    """True when the statement names everyone: ``"*"``, ``{"AWS": "*"}``, or a NotPrincipal."""
    if stmt.not_principals:
        return True
    return any(value == "*" for kind, value in stmt.principals if kind in ("*", "AWS"))


def is_restricted(stmt: Statement) -> bool:
    """True when a condition pins the request to a known caller or network."""
    for operator, keys in stmt.conditions.items():
        op = operator.lower()
        if op.endswith("ifexists"):
            continue  # IfExists passes when the key is missing, so it restricts nothing
        op = op.removeprefix("foranyvalue:")
        if op not in POSITIVE_OPERATORS:
            continue
        for key, values in keys.items():
            if key.lower() not in RESTRICTING_KEYS or not values:
                continue
            if all(_restricting_value(op, v) for v in values):
                return True
    return False


def public_statements(document: str | Mapping[str, Any]) -> list[Statement]:
    """Allow statements open to anyone without a restricting condition."""
    return [s for s in statements(document)
            if s.allows and is_wildcard_principal(s) and not is_restricted(s)]


def action_covers(patterns: Iterable[str], action: str) -> bool:
    """True when one of the (wildcard) action patterns matches `action`, case-insensitively."""
    return any(fnmatch.fnmatchcase(action.lower(), _glob(p.lower())) for p in patterns)


def resource_covers(patterns: Iterable[str], resource: str) -> bool:
    """True when one of the (wildcard) resource patterns matches `resource`."""
    return any(fnmatch.fnmatchcase(resource, _glob(p)) for p in patterns)


def denies_insecure_transport(document: str | Mapping[str, Any], service: str,
                              required_resources: Sequence[str]) -> bool:
    """True when a Deny statement refuses every `service` action over plain HTTP.

    The statement must apply to everyone, cover `service:*` (or ``*``), cover every one of
    `required_resources` (e.g. the bucket ARN and ``<bucket ARN>/*``), and carry
    ``"Bool": {"aws:SecureTransport": "false"}``.
    """
    for stmt in statements(document):
        if stmt.effect != "Deny" or stmt.not_actions or stmt.not_resources:
            continue
        if not any(v == "*" for kind, v in stmt.principals if kind in ("*", "AWS")):
            continue
        if not action_covers(stmt.actions, f"{service}:*"):
            continue
        if not all(resource_covers(stmt.resources, r) for r in required_resources):
            continue
        if _secure_transport_false(stmt):
            return True
    return False


def _secure_transport_false(stmt: Statement) -> bool:
    for operator, keys in stmt.conditions.items():
        if operator.lower() not in ("bool", "boolifexists"):
            continue
        for key, values in keys.items():
            if key.lower() == "aws:securetransport" and values and all(
                v.lower() == "false" for v in values
            ):
                return True
    return False


def _restricting_value(operator: str, value: str) -> bool:
    if value.strip() in ("", "*"):
        return False
    return not (operator == "ipaddress" and value.strip() in _OPEN_NETWORKS)


def _glob(pattern: str) -> str:
    # IAM wildcards are only * and ?; escape fnmatch's character classes.
    return pattern.replace("[", "[[]")


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | float | bool):
        return (_text(value),)
    return tuple(_text(v) for v in value)


def _text(value: Any) -> str:
    # JSON booleans appear in conditions ("aws:SecureTransport": false); compare as text.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _principals(value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (("*", value),) if value == "*" else (("AWS", value),)
    if isinstance(value, Mapping):
        return tuple((str(kind), v) for kind, vals in value.items() for v in _strings(vals))
    raise PolicyParseError("Principal is neither a string nor an object")


def _conditions(value: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise PolicyParseError("Condition is not an object")
    result: dict[str, dict[str, tuple[str, ...]]] = {}
    for operator, keys in value.items():
        if not isinstance(keys, Mapping):
            raise PolicyParseError(f"Condition operator {operator} is not an object")
        result[str(operator)] = {str(k): _strings(v) for k, v in keys.items()}
    return result
