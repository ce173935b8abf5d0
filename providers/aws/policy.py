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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from scanner import netcoverage

T = TypeVar("T")

# Condition keys that pin a request to a known caller or network. A wildcard principal
# whose statement requires one of these (with a positive operator) is not public.
RESTRICTING_KEYS = frozenset(
    {
        "aws:sourcevpce",
        "aws:sourcevpc",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalarn",
        "aws:userid",
        "aws:sourceowner",
        "aws:sourceip",
        "aws:vpcsourceip",
        "aws:principalservicename",
        "kms:calleraccount",
        "sns:endpoint",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
        "elasticfilesystem:accesspointarn",
    }
)
# kms:ViaService is deliberately absent: it names the AWS service that relays the call, not
# the caller, so "Principal *" + ViaService=s3 lets any account use the key through S3.
# Positive operators only: "StringNotEquals aws:PrincipalOrgID" in an Allow opens the
# resource to everyone outside the organisation, so negated operators never restrict.
POSITIVE_OPERATORS = frozenset(
    {
        "stringequals",
        "stringequalsignorecase",
        "stringlike",
        "arnequals",
        "arnlike",
        "ipaddress",
    }
)


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


class GapSink(Protocol):
    """What records a gap (an `AwsTask`): the collector's view, kept abstract here."""

    def gap(
        self, operation: str, error_code: str, message: str, resource_uid: str | None = None
    ) -> None:
        """Record that `operation` could not be read for `resource_uid`."""


def parsed_or_gap(
    sink: GapSink, operation: str, resource_uid: str, read: Callable[[], T]
) -> T | None:
    """`read()`, which interprets a policy; a malformed document becomes a gap and `None`."""
    try:
        return read()
    except PolicyParseError as exc:
        sink.gap(operation, "MalformedPolicy", str(exc), resource_uid)
        return None


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
    """The normalised statements of a policy document (a single statement object is allowed).

    Raises `PolicyParseError` when the document or a statement has an impossible shape.
    """
    doc = parse_document(document)
    raw = doc.get("Statement", [])
    if isinstance(raw, Mapping):
        items: list[Any] = [raw]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        raise PolicyParseError("Statement is neither an object nor a list")
    result = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise PolicyParseError(f"statement {index} is not an object")
        result.append(
            Statement(
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
            )
        )
    return result


def is_wildcard_principal(stmt: Statement) -> bool:
    """True when the statement names everyone: ``"*"``, ``{"AWS": "*"}``, or a NotPrincipal.

    An AWS principal ARN pattern that matches every account (``arn:aws:iam::*:root``) is
    everyone too: judged by what it matches, not by how it is spelled.
    """
    if stmt.not_principals:
        return True
    return any(
        value == "*" or (kind == "AWS" and _matches_every_account(value))
        for kind, value in stmt.principals
        if kind in ("*", "AWS")
    )


def _matches_every_account(pattern: str) -> bool:
    # Two unrelated accounts' roots in one partition: only a wildcard account matches both.
    if not _has_wildcard(pattern):
        return False
    return any(
        all(_arn_match(pattern, f"arn:{partition}:iam::{account}:root") for account in _ACCOUNTS)
        for partition in ("aws", "aws-us-gov", "aws-cn")
    )


_ACCOUNTS = ("000000000000", "987654321098")


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
            name = key.lower()
            if name not in RESTRICTING_KEYS or not values:
                continue
            if op == "ipaddress":
                if _narrow_networks(values):
                    return True
            elif all(_fixed_value(name, v.strip()) for v in values):
                return True
    return False


def public_statements(document: str | Mapping[str, Any]) -> list[Statement]:
    """Allow statements open to anyone without a restricting condition."""
    return [
        s
        for s in statements(document)
        if s.allows and is_wildcard_principal(s) and not is_restricted(s)
    ]


def action_covers(patterns: Iterable[str], action: str) -> bool:
    """True when the (wildcard) action patterns cover `action`, case-insensitively.

    `action` may itself end in ``*`` (``"s3:*"``): then a pattern covers it only when it
    matches every action with that prefix (``"*"``, ``"s3:*"``, ``"s3*"``), not merely the
    literal text (``"s3:?"`` or ``"s3:Get*"`` do not cover ``"s3:*"``).
    """
    return any(_covers(p.lower(), action.lower()) for p in patterns)


def resource_covers(patterns: Iterable[str], resource: str) -> bool:
    """True when the (wildcard) resource patterns cover `resource` (case-sensitive).

    As with `action_covers`, a `resource` ending in ``*`` (``"arn:aws:s3:::b/*"``) is
    covered only by a pattern that matches every resource with that prefix.
    """
    return any(_covers(p, resource) for p in patterns)


def denies_insecure_transport(
    document: str | Mapping[str, Any], service: str, required_resources: Sequence[str]
) -> bool:
    """True when a Deny statement refuses every `service` action over plain HTTP.

    A qualifying statement applies to everyone, covers `service:*` (or ``*``) and carries
    ``"Bool": {"aws:SecureTransport": "false"}`` as its only condition: any further
    condition (say ``StringNotEquals aws:SourceVpce``) narrows the Deny, so some plain-HTTP
    requests would still be let through. Together the qualifying statements must cover
    every one of `required_resources` (e.g. the bucket ARN and ``<bucket ARN>/*``).
    """
    denying = [
        stmt
        for stmt in statements(document)
        if stmt.effect == "Deny"
        and not stmt.not_actions
        and not stmt.not_resources
        and any(v == "*" for kind, v in stmt.principals if kind in ("*", "AWS"))
        and action_covers(stmt.actions, f"{service}:*")
        and only_insecure_transport_condition(stmt)
    ]
    # The resources may be split across statements (one for the bucket, one for objects).
    return bool(denying) and all(
        any(resource_covers(stmt.resources, r) for stmt in denying) for r in required_resources
    )


def only_insecure_transport_condition(stmt: Statement) -> bool:
    """True when the statement's one condition is ``aws:SecureTransport`` = false.

    Any further condition narrows a Deny (all conditions must match for it to apply), so
    some plain-HTTP requests would still get through: this one must stand alone.
    """
    if len(stmt.conditions) != 1:
        return False
    ((operator, keys),) = stmt.conditions.items()
    if operator.lower() not in ("bool", "boolifexists") or len(keys) != 1:
        return False
    ((key, values),) = keys.items()
    return (
        key.lower() == "aws:securetransport"
        and bool(values)
        and all(v.lower() == "false" for v in values)
    )


def _fixed_value(key: str, value: str) -> bool:
    # S3's own test for "not public" asks for fixed condition values (no wildcard). Wildcards
    # are accepted only after a part that already pins the owner: the account field of an
    # ARN, the role id of an aws:userid ("AROA...:*"), the org id of an org path ("o-x/*").
    if not value:
        return False
    if not _has_wildcard(value):
        return True
    if value.lower().startswith("arn:"):
        parts = value.split(":", 5)
        return len(parts) == 6 and bool(parts[4]) and not any(_has_wildcard(p) for p in parts[:5])
    if key == "aws:userid":
        head, _, _ = value.partition(":")
        return bool(head) and not _has_wildcard(head) and ":" in value
    if key in ("aws:principalorgpaths", "aws:sourceorgpaths"):
        head, _, _ = value.partition("/")
        return bool(head) and not _has_wildcard(head) and "/" in value
    return False


def _has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


def _narrow_networks(values: Sequence[str]) -> bool:
    # The values of one IpAddress key are ORed: judge their union, so 0.0.0.0/1 plus
    # 128.0.0.0/1 (or two adjacent public /8s) is the internet, as in a security group.
    networks = [netcoverage.parse_network(v) for v in values]
    if not networks or any(n is None for n in networks):
        return False
    return not netcoverage.is_internet(n for n in networks if n is not None)


def _covers(pattern: str, target: str) -> bool:
    if target.endswith("*") and not _has_wildcard(target[:-1]):
        prefix = target[:-1]
        return pattern.endswith("*") and fnmatch.fnmatchcase(prefix, _glob(pattern))
    return fnmatch.fnmatchcase(target, _glob(pattern))


def _glob(pattern: str) -> str:
    # IAM wildcards are only * and ?; escape fnmatch's character classes.
    return pattern.replace("[", "[[]")


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | float | bool):
        return (_text(value),)
    if isinstance(value, list | tuple) and all(
        isinstance(v, str | int | float | bool) for v in value
    ):
        return tuple(_text(v) for v in value)
    raise PolicyParseError(f"expected a string or a list of strings, got {value!r:.80}")


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


# --- ARN-pattern coverage -------------------------------------------------------------------
#
# IAM matches a Resource pattern against an ARN as a case-sensitive glob (``*`` any run of
# characters, colons included; ``?`` one character). Whether a pattern covers *every*
# resource is judged against probe ARNs chosen so that only wildcards can match them all:
# regions and accounts no literal names (and, for the scanned account, its own id), empty
# region/account fields (S3, IAM), and resource parts with ``/`` and ``:`` in them. A
# literal partition, service, region or resource type therefore never covers all.

_PROBE_REGIONS = ("xq-probe-1", "zz-probe-9", "")
_PROBE_RESOURCES = ("probe-name", "type/probe/with/path", "type:probe:with:colons")
# Data-bearing resource types per service: a pattern covering every one of these covers
# the service for the purpose of a "whole service" grant (``kms:*`` on ``key/*``).
_SERVICE_RESOURCES: dict[str, tuple[str, ...]] = {
    "s3": ("probe-bucket", "probe-bucket/obj/key.txt"),
    "kms": ("key/1234abcd-probe",),
    "dynamodb": ("table/probe-table",),
    "secretsmanager": ("secret:probe-secret-AbCdEf",),
    "sqs": ("probe-queue",),
    "sns": ("probe-topic",),
    "rds": ("db:probe-db", "cluster:probe-cluster"),
    "ec2": ("instance/i-0probe", "volume/vol-0probe", "snapshot/snap-0probe"),
    "elasticfilesystem": ("file-system/fs-0probe",),
    "redshift": ("cluster:probe-cluster",),
    "logs": ("log-group:probe-group", "log-group:probe-group:log-stream:probe"),
}
# S3 and IAM ARNs carry no region; S3 ARNs carry no account either.
_NO_REGION = frozenset({"s3", "iam", "cloudfront", "route53", "organizations"})
_NO_ACCOUNT = frozenset({"s3"})
_PROBE_SERVICES = ("s3", "iam", "kms", "ec2", "dynamodb", "sns", "secretsmanager", "xprobe")


def _probes(
    partition: str, service: str, account: str | None, resources: Sequence[str]
) -> list[str]:
    regions = ("",) if service in _NO_REGION else _PROBE_REGIONS
    accounts: tuple[str, ...] = ("",) if service in _NO_ACCOUNT else ("000000000000",)
    if account and service not in _NO_ACCOUNT:
        # The scanned account's own id: a pattern naming it still covers every resource
        # this account's policy can reach.
        accounts = (account,)
    return [
        f"arn:{partition}:{service}:{region}:{acct}:{res}"
        for region in regions
        for acct in accounts
        for res in resources
    ]


def covers_every_resource(
    patterns: Iterable[str], partition: str = "aws", account: str | None = None
) -> bool:
    """True when one Resource pattern covers every resource of every service.

    ``"*"`` does; so do ``arn:aws:*:*:*:*`` (in the ``aws`` partition), ``arn:*:*:*:*:*``
    and ``arn:*``. The partition is that of the account whose policy this is; `account`,
    when given, is its id (a pattern naming it covers all that account owns).
    """
    probes = [
        probe
        for service in _PROBE_SERVICES
        for probe in _probes(partition, service, account, _PROBE_RESOURCES)
    ]
    return any(all(_arn_match(p, probe) for probe in probes) for p in patterns)


def covers_service(
    patterns: Iterable[str], service: str, partition: str = "aws", account: str | None = None
) -> bool:
    """True when one Resource pattern covers every (data-bearing) resource of `service`."""
    resources = _SERVICE_RESOURCES.get(service.lower(), _PROBE_RESOURCES)
    probes = _probes(partition, service.lower(), account, resources)
    return any(all(_arn_match(p, probe) for probe in probes) for p in patterns)


def _arn_match(pattern: str, arn: str) -> bool:
    return fnmatch.fnmatchcase(arn, _glob(pattern.strip()))
