"""Pure helpers that read IAM identity and trust policy documents into facts.

Choices made here (and relied on by the IAM rules):

* **Full admin** is an Allow statement that grants every action on every resource:
  ``Action`` ``"*"`` (string or list form) with a ``Resource`` pattern that covers every
  ARN: ``"*"``, or ``arn:aws:*:*:*:*``, ``arn:*:*:*:*:*``, ``arn:*``... in the account's
  partition (`providers.aws.policy.covers_every_resource`: coverage, not spelling).
  ``NotAction`` in an Allow statement on every resource grants everything except the
  listed actions, which for ePHI is as good as admin (``NotAction: iam:*`` still grants
  ``s3:*`` and ``kms:Decrypt`` on everything), so it counts too, unless it excludes
  ``"*"`` itself.
  ``NotResource`` with ``Action "*"`` grants everything except a few resources and counts
  as well. A condition (MFA, source IP) does not make a statement less than admin for
  whoever meets it, so conditional statements count; the description says so.
* A **Deny** statement never grants anything.
* **Service wildcard** is an Allow statement granting ``<service>:*`` (or ``Action "*"``,
  or a ``NotAction`` that leaves the service's actions) on every resource, or on every
  resource of that service (``s3:*`` on ``arn:aws:s3:::*``, ``kms:*`` on
  ``arn:aws:kms:*:*:key/*``): a lesser finding than full admin.
* A **trust policy** is open when an Allow statement lets a wildcard principal (``"*"``,
  ``{"AWS": "*"}``, or ``NotPrincipal``) call an ``sts:AssumeRole*`` action without a
  condition that pins the caller to a known account, organisation or network
  (`providers.aws.policy.is_restricted`). ``sts:ExternalId`` alone does **not** restrict:
  AWS documents the external id as a confused-deputy guard, not a secret, and anyone who
  knows or guesses it could assume the role. Service principals
  (``ec2.amazonaws.com``) and named accounts are not wildcards.
* A **federated** trust (``sts:AssumeRoleWithWebIdentity``) is open when nothing pins
  *who* at the identity provider may assume the role: for an OIDC provider (GitHub
  Actions, GitLab, Terraform Cloud, an EKS cluster...), no positive condition on the
  provider's ``sub`` claim, or only wildcard-led values (``*``, ``repo:*``,
  ``repo:octo*``); anyone with an account there could mint a token. A pinned value names
  its first segment in full (``repo:octo-org/*``, ``system:serviceaccount:billing:*``).
  For Cognito identity pools and the consumer identity providers (Google, Facebook,
  Login with Amazon), AWS's pin is the audience (``aud``/``app_id``): without it any
  identity pool or app in the world gets in. SAML federation names the customer's own
  identity provider and is not judged here.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.parse
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from providers.aws.policy import (
    Statement,
    action_covers,
    covers_every_resource,
    covers_service,
    is_restricted,
    is_wildcard_principal,
    parse_document,
    statements,
)

ASSUME_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")
_ALL_ACTIONS = frozenset({"*", "*:*"})
_SERVICE_WILDCARD = re.compile(r"^([a-z0-9-]+):\*$", re.IGNORECASE)


def load_document(document: str | Mapping[str, Any]) -> Mapping[str, Any]:
    """A policy document as a mapping, from a dict, JSON text or URL-encoded JSON text.

    The IAM API returns documents URL-encoded; botocore usually decodes them, but a
    snapshot or another client may hand over the raw form.
    """
    if isinstance(document, str) and not document.strip().startswith("{"):
        document = urllib.parse.unquote(document)
    return parse_document(document)


def admin_statements(
    document: str | Mapping[str, Any], partition: str = "aws", account: str | None = None
) -> tuple[str, ...]:
    """Descriptions of the Allow statements that grant every action on every resource."""
    found = []
    for stmt in statements(load_document(document)):
        if not stmt.allows or not _on_every_resource(stmt, partition, account):
            continue
        if stmt.not_actions:
            if any(_is_all_actions(p) for p in stmt.not_actions):
                continue  # NotAction "*" excludes everything: it grants nothing
            excluded = ", ".join(stmt.not_actions)
            found.append(_describe(stmt, f"Allow NotAction [{excluded}] on {_scope(stmt)}"))
        elif any(_is_all_actions(p) for p in stmt.actions):
            found.append(_describe(stmt, f"Allow Action * on {_scope(stmt)}"))
    return tuple(found)


def service_wildcards(
    document: str | Mapping[str, Any], partition: str = "aws", account: str | None = None
) -> tuple[str, ...]:
    """The ``service:*`` grants Allow statements make on all of that service's resources.

    Sorted ``service:*`` strings. A statement on every resource counts for each service
    wildcard it names; a statement whose resources cover one whole service (``s3:*`` on
    ``arn:aws:s3:::*``) counts when its actions cover that service's every action
    (``s3:*``, ``*``, or a ``NotAction`` that leaves ``s3:*`` out of its exclusions).
    Full admin statements are reported by `admin_statements` instead.
    """
    found: set[str] = set()
    for stmt in statements(load_document(document)):
        if not stmt.allows:
            continue
        if _on_every_resource(stmt, partition, account):
            if not stmt.not_actions:  # NotAction on every resource is full admin
                found.update(_named_service_wildcards(stmt))
            continue
        if stmt.not_resources:
            continue
        for service in _services_of(stmt.resources):
            if not covers_service(stmt.resources, service, partition, account):
                continue
            wanted = f"{service}:*"
            if stmt.not_actions:
                if not action_covers(stmt.not_actions, wanted):
                    found.add(wanted)
            elif action_covers(stmt.actions, wanted):
                found.add(wanted)
    return tuple(sorted(found))


def all_action_grants(
    document: str | Mapping[str, Any], partition: str = "aws", account: str | None = None
) -> tuple[str, ...]:
    """Descriptions of the Allow statements that grant every action on named resources.

    `*` on one bucket is not admin, but it still lets the holder delete the bucket, rewrite
    its policy and read every object: an over-broad grant of its own, below full admin.
    Statements on every resource, or on every resource of a service, are reported by
    `admin_statements` and `service_wildcards` instead.
    """
    found = []
    for stmt in statements(load_document(document)):
        if not stmt.allows or stmt.not_actions or _on_every_resource(stmt, partition, account):
            continue
        if any(
            covers_service(stmt.resources, s, partition, account)
            for s in _services_of(stmt.resources)
        ):
            continue
        if any(_is_all_actions(p) for p in stmt.actions):
            targets = ", ".join(stmt.resources) or "no resource"
            found.append(_describe(stmt, f"Allow Action * on {targets}"))
    return tuple(found)


KMS_DECRYPT_ACTIONS = ("kms:Decrypt", "kms:ReEncryptFrom")


def kms_decrypt_all_keys(
    document: str | Mapping[str, Any], partition: str = "aws", account: str | None = None
) -> tuple[str, ...]:
    """Descriptions of the Allow statements that let the holder decrypt with every key.

    A statement counts when its actions cover ``kms:Decrypt`` or ``kms:ReEncryptFrom``
    (``kms:*``, ``*``, ``kms:De*``, ``kms:ReEncrypt*``, or a ``NotAction`` leaving one of
    them) and its resources cover every key: every resource (``*``, a ``NotResource``
    short of everything) or every key of the service (``arn:aws:kms:*:*:key/*``).
    Full-admin statements count too: they decrypt every key as well. Conditions are named
    in the description but do not lift the finding (``kms:ViaService`` still lets the
    holder decrypt through that service).
    """
    found = []
    for stmt in statements(load_document(document)):
        if not stmt.allows or not _on_every_key(stmt, partition, account):
            continue
        if stmt.not_actions:
            granted = [a for a in KMS_DECRYPT_ACTIONS if not action_covers(stmt.not_actions, a)]
        else:
            granted = [a for a in KMS_DECRYPT_ACTIONS if action_covers(stmt.actions, a)]
        if granted:
            found.append(_describe(stmt, f"Allow {', '.join(granted)} on every key"))
    return tuple(found)


def _on_every_key(stmt: Statement, partition: str, account: str | None) -> bool:
    if stmt.not_resources:
        return not covers_service(stmt.not_resources, "kms", partition, account)
    return covers_every_resource(stmt.resources, partition, account) or covers_service(
        stmt.resources, "kms", partition, account
    )


def open_trust_statements(document: str | Mapping[str, Any]) -> tuple[str, ...]:
    """Descriptions of the trust statements that let anyone assume the role.

    Wildcard principals without a restricting condition, and web-identity federation
    without a pinned subject or audience (see the module notes).
    """
    found = []
    for stmt in statements(load_document(document)):
        found.extend(_open_federation(stmt))
        if not stmt.allows or not is_wildcard_principal(stmt) or is_restricted(stmt):
            continue
        if not _allows_assume(stmt):
            continue
        who = "NotPrincipal" if stmt.not_principals else "Principal *"
        note = " (sts:ExternalId alone does not restrict)" if _has_external_id(stmt) else ""
        found.append(_describe(stmt, f"Allow {who} to assume the role{note}"))
    return tuple(found)


# Providers whose AWS-documented pin is the audience (the app or identity pool), with the
# claim key that carries it.
_AUDIENCE_PINNED = {
    "cognito-identity.amazonaws.com": ("aud",),
    "accounts.google.com": ("aud", "sub"),
    "graph.facebook.com": ("app_id", "id"),
    "www.amazon.com": ("app_id", "user_id"),
}
# Claim prefixes that name nothing by themselves: the value must pin the segment after.
_GENERIC_SUBJECT_PREFIXES = (
    "repo:",
    "project_path:",
    "organization:",
    "system:serviceaccount:",
    "org:",
    "account:",
)


def _open_federation(stmt: Statement) -> list[str]:
    if not stmt.allows or not _allows_web_identity(stmt):
        return []
    found = []
    for kind, value in stmt.principals:
        if kind.lower() != "federated":
            continue
        provider = _provider_host(value)
        if provider.startswith("arn:") and ":saml-provider/" in provider:
            continue
        claims = _AUDIENCE_PINNED.get(provider, ("sub",))
        if any(_pinned(stmt, f"{provider}:{claim}") for claim in claims):
            continue
        wanted = "/".join(claims)
        found.append(
            _describe(
                stmt,
                f"Allow Federated {provider} to assume the role without a pinned "
                f"{wanted} (any identity that provider issues)",
            )
        )
    return found


def _allows_web_identity(stmt: Statement) -> bool:
    action = "sts:AssumeRoleWithWebIdentity"
    if stmt.not_actions:
        return not action_covers(stmt.not_actions, action)
    return action_covers(stmt.actions, action)


def _provider_host(principal: str) -> str:
    """The issuer host of an OIDC provider ARN (or the name of a built-in provider)."""
    marker = ":oidc-provider/"
    if marker in principal:
        return principal.split(marker, 1)[1]
    return principal


def _pinned(stmt: Statement, key: str) -> bool:
    """True when a positive condition on `key` allows only pinned values."""
    for operator, keys in stmt.conditions.items():
        op = operator.lower()
        if op.endswith("ifexists") or op.startswith("forallvalues:"):
            continue  # both pass when the claim is missing
        op = op.removeprefix("foranyvalue:")
        if op not in ("stringequals", "stringequalsignorecase", "stringlike"):
            continue
        for name, values in keys.items():
            if name.lower() == key.lower() and values and all(_pinned_value(v) for v in values):
                return True
    return False


def _pinned_value(value: str) -> bool:
    text = value.strip()
    for prefix in _GENERIC_SUBJECT_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    head = re.split(r"[*?]", text, maxsplit=1)[0]
    if head == text:
        return bool(text)  # no wildcard at all
    # A wildcard is acceptable only after a complete first segment ("octo-org/").
    return any(sep in head[1:] for sep in "/:") and head[0] not in "/:"


# AWS-managed policies that amount to administrator access, by name, with the reason.
# Their documents are not collected (the account-wide listing filters AWS-managed policies
# out: there are over a thousand); these are judged by name instead.
ADMIN_EQUIVALENT_AWS_POLICIES = {
    "AdministratorAccess": "full administrator access",
    "PowerUserAccess": "every service except IAM and Organizations",
    "IAMFullAccess": "can grant itself any permission",
}


def aws_managed_admin(arn: str, partition: str = "aws") -> str | None:
    """The reason an attached AWS-managed policy is admin-equivalent, or None."""
    prefix = f"arn:{partition}:iam::aws:policy/"
    if not arn.startswith(prefix):
        return None
    return ADMIN_EQUIVALENT_AWS_POLICIES.get(arn[len(prefix) :])


# Condition keys that guard a cross-account trust against the confused deputy.
_DEPUTY_GUARDS = frozenset(
    {
        "sts:externalid",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
    }
)


def unguarded_cross_account_statements(
    document: str | Mapping[str, Any], account: str
) -> tuple[str, ...]:
    """Trust statements letting another account assume the role with no deputy guard.

    A named foreign account (``arn:aws:iam::<other>:root``, a role or user in it, or the
    bare account id) with ``sts:AssumeRole`` and no ``sts:ExternalId`` or organization
    condition: whoever in that account (a vendor's whole platform) can act for it.
    Wildcard principals are `open_trust_statements`' business, not this one's.
    """
    found = []
    for stmt in statements(load_document(document)):
        if not stmt.allows or stmt.not_principals or not _allows_assume(stmt):
            continue
        foreign = sorted(
            {
                other
                for kind, value in stmt.principals
                if kind == "AWS" and (other := _account_of(value)) and other != account
            }
        )
        if not foreign or _has_guard(stmt):
            continue
        found.append(
            _describe(
                stmt,
                f"Allow account(s) {', '.join(foreign)} to assume the "
                "role without sts:ExternalId or an organization condition",
            )
        )
    return tuple(found)


def _account_of(principal: str) -> str | None:
    value = principal.strip()
    if re.fullmatch(r"\d{12}", value):
        return value
    parts = value.split(":")
    if len(parts) >= 6 and parts[0] == "arn" and parts[2] in ("iam", "sts") and parts[4]:
        return parts[4]
    return None


def _has_guard(stmt: Statement) -> bool:
    for operator, keys in stmt.conditions.items():
        op = operator.lower()
        if op.endswith("ifexists") or op.startswith("forallvalues:") or "not" in op:
            continue
        if any(key.lower() in _DEPUTY_GUARDS and values for key, values in keys.items()):
            return True
    return False


def trusted_principals(document: str | Mapping[str, Any]) -> tuple[str, ...]:
    """Who the Allow statements of a trust policy name, as sorted ``Kind:value`` strings."""
    named: set[str] = set()
    for stmt in statements(load_document(document)):
        if not stmt.allows:
            continue
        named.update(f"{kind}:{value}" for kind, value in stmt.principals)
        named.update(f"NotPrincipal:{kind}:{value}" for kind, value in stmt.not_principals)
    return tuple(sorted(named))


def root_password_enabled(content: bytes | str | None) -> bool | None:
    """The root row's ``password_enabled`` of a credential report (CSV), as a fact.

    ``false`` (the password was removed, as centralized root access does) is False;
    ``true`` is True; ``not_supported`` (what AWS reports while a root password exists
    outside the report's view) or anything else is None.
    """
    if content is None:
        return None
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("user") == "<root_account>":
            value = str(row.get("password_enabled", "")).strip().lower()
            return {"true": True, "false": False}.get(value)
    return None


def name_from_arn(arn: str) -> str:
    """The last path segment of an IAM ARN (a managed policy's name)."""
    return arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def whole_days(earlier: datetime, later: datetime) -> int:
    """Whole days from `earlier` to `later` (never negative, whatever the clock skew)."""
    return max(0, (later - earlier).days)


def _is_all_actions(pattern: str) -> bool:
    return pattern.strip() in _ALL_ACTIONS or action_covers([pattern], "*")


def _on_every_resource(stmt: Statement, partition: str, account: str | None) -> bool:
    if stmt.not_resources:
        # NotResource covering everything excludes everything; any narrower exclusion
        # leaves nearly all.
        return not covers_every_resource(stmt.not_resources, partition, account)
    return covers_every_resource(stmt.resources, partition, account)


def _named_service_wildcards(stmt: Statement) -> set[str]:
    found = set()
    for pattern in stmt.actions:
        match = _SERVICE_WILDCARD.match(pattern.strip())
        if match:
            found.add(f"{match.group(1).lower()}:*")
    return found


def _services_of(patterns: tuple[str, ...]) -> set[str]:
    """The literal service segments the ARN patterns name (``arn:aws:s3:::x`` -> s3)."""
    found = set()
    for pattern in patterns:
        parts = pattern.strip().split(":", 3)
        if (
            len(parts) >= 3
            and parts[0] == "arn"
            and parts[2]
            and not any(c in parts[2] for c in "*?")
        ):
            found.add(parts[2].lower())
    return found


def _scope(stmt: Statement) -> str:
    if stmt.not_resources:
        return f"every resource except [{', '.join(stmt.not_resources)}]"
    if "*" in (p.strip() for p in stmt.resources):
        return "Resource *"
    return f"Resource {', '.join(stmt.resources)}"


def _allows_assume(stmt: Statement) -> bool:
    if stmt.not_actions:
        return not all(action_covers(stmt.not_actions, a) for a in ASSUME_ACTIONS)
    return any(action_covers(stmt.actions, a) for a in ASSUME_ACTIONS)


def _has_external_id(stmt: Statement) -> bool:
    return any(key.lower() == "sts:externalid" for keys in stmt.conditions.values() for key in keys)


def _describe(stmt: Statement, what: str) -> str:
    label = f"Statement[{stmt.index}]" + (f" (Sid {stmt.sid})" if stmt.sid else "")
    condition = " with conditions" if stmt.conditions else ""
    return f"{label}: {what}{condition}"
