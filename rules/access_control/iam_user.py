"""IAM users: MFA for console sign-in, no AdministratorAccess attached directly, fresh keys.

Judges `iam.principal` resources. Roles pass the user-only checks by construction (a
role has no console password and no long-term access key), with a message saying so.
Key ages are whole days counted at collection time, so these rules never read the clock
and re-evaluating a snapshot later gives the same verdicts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.hipaa import (
    ACCESS_AUTHORIZATION,
    ACCESS_CONTROL,
    ACCESS_ESTABLISHMENT,
    PERSON_AUTHENTICATION,
    TERMINATION_PROCEDURES,
)
from scanner.kinds.iam import AccessKey, IamPrincipal, PrincipalType
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import Check, Rule, RuleContext, Verdict, rule

_ADMIN_SUFFIX = ":iam::aws:policy/AdministratorAccess"


def _user_rule(**meta: Any) -> Callable[[Check], Rule]:
    """`rule` with what every IAM-user rule shares: account-level, users only.

    Roles share the `iam.principal` kind; the principal type fact tells them apart.
    """
    return rule(
        concern=Concern.ACCESS_CONTROL,
        kinds=(IamPrincipal.KIND,),
        where={"principal_type": PrincipalType.USER.value},
        phi_scoped=False,
        **meta,
    )


def _label(resource: Resource[IamPrincipal]) -> str:
    return f"User {resource.name}"


@_user_rule(
    id="IAM-USER-01",
    title="IAM users with a console password have an MFA device",
    severity=Severity.HIGH,
    citations=(PERSON_AUTHENTICATION, ACCESS_CONTROL),
    providers=("aws",),
)
def user_console_mfa_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A console user without MFA can sign in to ePHI systems with a password alone.

    HIPAA requires verifying that a person seeking access to ePHI is the one claimed.
    """
    props = resource.props
    label = _label(resource)
    if props.console_access is None:
        return Verdict.unknown(f"{label}: whether it has a console password could not be read.")
    if not props.console_access:
        return Verdict.passed(f"{label} has no console password.", console_access=False)
    if props.mfa_devices is None:
        return Verdict.unknown(
            f"{label} has a console password; its MFA devices could not be read.",
            console_access=True,
        )
    if props.mfa_devices == 0:
        return Verdict.fail(
            f"{label} has a console password and no MFA device.", console_access=True, mfa_devices=0
        )
    return Verdict.passed(
        f"{label} has a console password and {props.mfa_devices} MFA device(s).",
        console_access=True,
        mfa_devices=props.mfa_devices,
    )


@_user_rule(
    id="IAM-USER-02",
    title="AdministratorAccess is not attached directly to IAM users",
    severity=Severity.HIGH,
    citations=(ACCESS_AUTHORIZATION, ACCESS_ESTABLISHMENT, ACCESS_CONTROL),
    providers=("aws",),
)
def user_no_direct_administrator_access(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A user holding AdministratorAccess directly has standing access to all ePHI.

    Such access is neither authorized per task nor reviewed through a group or role.
    """
    props = resource.props
    label = _label(resource)
    admin = [arn for arn in props.attached_policies if arn.endswith(_ADMIN_SUFFIX)]
    if admin:
        return Verdict.fail(
            f"{label} has AdministratorAccess attached directly.",
            attached_policies=list(props.attached_policies),
        )
    return Verdict.passed(
        f"{label} has no AdministratorAccess attached directly.",
        attached_policies=list(props.attached_policies),
    )


def _key_evidence(key: AccessKey) -> dict[str, JSONValue]:
    return {
        "key_id": key.key_id,
        "age_days": key.age_days,
        "ever_used": key.ever_used,
        "days_since_last_use": key.days_since_last_use,
    }


def _active_keys(resource: Resource[IamPrincipal]) -> list[AccessKey] | None:
    keys = resource.props.access_keys
    return None if keys is None else [k for k in keys if k.active]


@_user_rule(
    id="IAM-KEY-01",
    title="Active access keys are rotated within the maximum age",
    severity=Severity.MEDIUM,
    citations=(PERSON_AUTHENTICATION, ACCESS_ESTABLISHMENT),
    params={"max_key_age_days": 90},
    providers=("aws",),
)
def key_rotated(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Long-lived access keys leak into code, laptops and logs, and a leaked key opens ePHI.

    Rotating keys limits how long a leaked key stays useful. Only active keys count.
    """
    limit = int(ctx.param("max_key_age_days"))
    label = _label(resource)
    keys = _active_keys(resource)
    if keys is None:
        return Verdict.unknown(f"{label}: its access keys could not be listed.")
    if not keys:
        return Verdict.passed(f"{label} has no active access key.", active_keys=[])
    unknown = [k for k in keys if k.age_days is None]
    old = [k for k in keys if k.age_days is not None and k.age_days > limit]
    if old:
        ids = ", ".join(f"{k.key_id} ({k.age_days} days)" for k in old)
        return Verdict.fail(
            f"{label} has active access keys older than {limit} days: {ids}.",
            max_key_age_days=limit,
            keys=[_key_evidence(k) for k in old],
        )
    if unknown:
        return Verdict.unknown(
            f"{label}: the creation date of an access key is unknown.",
            keys=[_key_evidence(k) for k in unknown],
        )
    return Verdict.passed(
        f"{label}'s active access keys are at most {limit} days old.",
        max_key_age_days=limit,
        keys=[_key_evidence(k) for k in keys],
    )


def _unused_for(
    ever_used: bool | None, days_since_use: int | None, age_days: int | None, limit: int
) -> bool | None:
    """Whether a credential went unused for more than `limit` days (None: unknown).

    One never used counts as unused once it is older than the limit; one used at an
    unreadable date is unknown, never "recently used".
    """
    if ever_used is None:
        return None
    if ever_used:
        return None if days_since_use is None else days_since_use > limit
    return None if age_days is None else age_days > limit


def _unused(key: AccessKey, limit: int) -> bool | None:
    return _unused_for(key.ever_used, key.days_since_last_use, key.age_days, limit)


@_user_rule(
    id="IAM-KEY-02",
    title="Active access keys have been used recently",
    severity=Severity.MEDIUM,
    citations=(ACCESS_ESTABLISHMENT, ACCESS_AUTHORIZATION),
    params={"max_key_unused_days": 90},
    providers=("aws",),
)
def key_recently_used(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An active key nobody uses is standing access nobody needs and nobody watches.

    Access that is no longer needed should be removed. Only active keys count; a key never
    used counts as unused once it is older than the limit.
    """
    limit = int(ctx.param("max_key_unused_days"))
    label = _label(resource)
    keys = _active_keys(resource)
    if keys is None:
        return Verdict.unknown(f"{label}: its access keys could not be listed.")
    if not keys:
        return Verdict.passed(f"{label} has no active access key.", active_keys=[])
    verdicts = [(key, _unused(key, limit)) for key in keys]
    unused = [key for key, flag in verdicts if flag]
    if unused:
        ids = ", ".join(k.key_id for k in unused)
        return Verdict.fail(
            f"{label} has active access keys unused for more than {limit} days: {ids}.",
            max_key_unused_days=limit,
            keys=[_key_evidence(k) for k in unused],
        )
    unknown = [key for key, flag in verdicts if flag is None]
    if unknown:
        return Verdict.unknown(
            f"{label}: when an access key was last used could not be read.",
            keys=[_key_evidence(k) for k in unknown],
        )
    return Verdict.passed(
        f"{label}'s active access keys were used within {limit} days.",
        max_key_unused_days=limit,
        keys=[_key_evidence(k) for k in keys],
    )


@_user_rule(
    id="IAM-USER-03",
    title="IAM users do not hold administrator access through any policy or group",
    severity=Severity.HIGH,
    citations=(ACCESS_AUTHORIZATION, ACCESS_ESTABLISHMENT, ACCESS_CONTROL),
    providers=("aws",),
)
def user_holds_no_admin(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A user with administrator access, by whatever path, can read or destroy every ePHI store.

    Its long-term credentials are the prize of a phishing or leaked-key attack; IAM-USER-02
    looks at AdministratorAccess attached directly, this at every path (groups, customer
    and admin-equivalent provider-managed policies).
    """
    del ctx
    via = resource.props.admin_via
    label = _label(resource)
    if via is None:
        return Verdict.unknown(
            f"{label}: a policy attached to it (or to one of its groups) could not be read, "
            "and none of the readable ones grants administrator access."
        )
    if via:
        return Verdict.fail(
            f"{label} holds administrator access through {'; '.join(via)}.", admin_via=list(via)
        )
    return Verdict.passed(f"{label} holds no administrator access.", admin_via=[])


def _password_unused(props: IamPrincipal, limit: int) -> bool | None:
    return _unused_for(
        props.password_ever_used, props.password_days_since_use, props.password_age_days, limit
    )


def _password_evidence(props: IamPrincipal) -> dict[str, JSONValue]:
    return {
        "console_access": props.console_access,
        "password_ever_used": props.password_ever_used,
        "password_days_since_use": props.password_days_since_use,
        "password_age_days": props.password_age_days,
    }


@_user_rule(
    id="IAM-USER-04",
    title="Console passwords have been used recently",
    severity=Severity.MEDIUM,
    citations=(TERMINATION_PROCEDURES, ACCESS_ESTABLISHMENT),
    params={"max_password_unused_days": 90},
    providers=("aws",),
)
def console_password_recently_used(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A console password nobody uses is a way into ePHI that nobody would miss or notice.

    Access that is no longer needed (a leaver, a changed role) should be removed; a password
    never used counts as unused once it is older than the limit.
    """
    limit = int(ctx.param("max_password_unused_days"))
    props = resource.props
    label = _label(resource)
    if props.console_access is None:
        return Verdict.unknown(f"{label}: whether it has a console password could not be read.")
    if not props.console_access:
        return Verdict.passed(f"{label} has no console password.", console_access=False)
    evidence = {**_password_evidence(props), "max_password_unused_days": limit}
    unused = _password_unused(props, limit)
    if unused is None:
        return Verdict.unknown(
            f"{label}: when its console password was last used could not be read.", **evidence
        )
    if unused:
        when = (
            f"last used {props.password_days_since_use} days ago"
            if props.password_ever_used
            else f"never used in {props.password_age_days} days"
        )
        return Verdict.fail(
            f"{label} has a console password {when} (limit {limit} days).", **evidence
        )
    if not props.password_ever_used:
        return Verdict.passed(
            f"{label}'s console password is {props.password_age_days} days old and not yet used "
            f"(limit {limit} days).",
            **evidence,
        )
    return Verdict.passed(f"{label}'s console password was used within {limit} days.", **evidence)


@_user_rule(
    id="IAM-USER-05",
    title="IAM users with credentials have used them recently",
    severity=Severity.MEDIUM,
    citations=(TERMINATION_PROCEDURES, ACCESS_ESTABLISHMENT, ACCESS_AUTHORIZATION),
    params={"max_credentials_unused_days": 90},
    providers=("aws",),
)
def user_credentials_recently_used(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A user whose password and keys all lie unused is a dormant account: likely a leaver.

    Dormant accounts keep standing access to ePHI after the need ended; termination
    procedures remove them. A user fails when it holds a console password or an active
    key and used none of them within the limit (never-used credentials count from creation).
    """
    limit = int(ctx.param("max_credentials_unused_days"))
    props = resource.props
    label = _label(resource)
    keys = _active_keys(resource)
    if props.console_access is None or keys is None:
        return Verdict.unknown(f"{label}: its console password or access keys could not be read.")
    flags = [_unused(key, limit) for key in keys]
    if props.console_access:
        flags.append(_password_unused(props, limit))
    evidence: dict[str, JSONValue] = {
        **_password_evidence(props),
        "keys": [_key_evidence(k) for k in keys],
        "max_credentials_unused_days": limit,
    }
    if not flags:
        return Verdict.passed(f"{label} holds no console password and no active key.", **evidence)
    if any(flag is False for flag in flags):
        return Verdict.passed(
            f"{label} used (or was given) a credential within {limit} days.", **evidence
        )
    if any(flag is None for flag in flags):
        return Verdict.unknown(
            f"{label}: when some of its credentials were last used could not be read.", **evidence
        )
    return Verdict.fail(
        f"{label} used none of its credentials (console password, active keys) within {limit} "
        "days.",
        **evidence,
    )
