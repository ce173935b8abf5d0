"""The account password policy for IAM users: length, reuse prevention and expiry.

Judges the `iam.account` singleton. An account with no password policy fails all three
rules (a definite answer, not UNKNOWN): AWS then applies only its weak default.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import PASSWORD_MANAGEMENT, PERSON_AUTHENTICATION
from scanner.kinds.iam import IamAccount
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


def _precheck(resource: Resource[IamAccount], field: str) -> Verdict | None:
    props = resource.props
    where = f"Account {resource.account}"
    if props.password_policy_exists is None:
        return Verdict.unknown(f"{where}: the IAM password policy could not be read.")
    if not props.password_policy_exists:
        return Verdict.fail(f"{where} has no IAM password policy.", password_policy=None)
    if getattr(props, field) is None:
        return Verdict.unknown(f"{where}: the password policy did not report {field}.")
    return None


def _judge(resource: Resource[IamAccount], ok: bool, text: str, **evidence: JSONValue) -> Verdict:
    message = f"Account {resource.account}: the IAM password policy {text}."
    return Verdict.passed(message, **evidence) if ok else Verdict.fail(message, **evidence)


@rule(
    id="IAM-PASSWORD-01",
    title="The IAM password policy requires a minimum length",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(PASSWORD_MANAGEMENT, PERSON_AUTHENTICATION),
    kinds=(IamAccount.KIND,),
    phi_scoped=False,
    params={"min_length": 14},
    providers=("aws",),
)
def password_minimum_length(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Short passwords are guessed and cracked quickly, exposing ePHI behind them.

    HIPAA expects procedures for creating and safeguarding passwords.
    """
    early = _precheck(resource, "password_min_length")
    if early:
        return early
    wanted = int(ctx.param("min_length"))
    value = int(resource.props.password_min_length)
    return _judge(
        resource,
        value >= wanted,
        f"requires at least {value} characters (expected {wanted} or more)",
        MinimumPasswordLength=value,
        min_length=wanted,
    )


@rule(
    id="IAM-PASSWORD-02",
    title="The IAM password policy prevents password reuse",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(PASSWORD_MANAGEMENT,),
    kinds=(IamAccount.KIND,),
    phi_scoped=False,
    params={"reuse_prevention": 24},
    providers=("aws",),
)
def password_reuse_prevented(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Reusing an old, possibly leaked password undoes the point of changing it.

    Remembering enough previous passwords keeps users from cycling back.
    """
    early = _precheck(resource, "password_reuse_prevention")
    if early:
        return early
    wanted = int(ctx.param("reuse_prevention"))
    value = int(resource.props.password_reuse_prevention)
    shown = "does not prevent reuse" if value == 0 else f"remembers {value} passwords"
    return _judge(
        resource,
        value >= wanted,
        f"{shown} (expected {wanted} or more)",
        PasswordReusePrevention=value,
        reuse_prevention=wanted,
    )


@rule(
    id="IAM-PASSWORD-03",
    title="IAM user passwords expire",
    severity=Severity.LOW,
    concern=Concern.ACCESS_CONTROL,
    citations=(PASSWORD_MANAGEMENT,),
    kinds=(IamAccount.KIND,),
    phi_scoped=False,
    params={"max_age_days": 90},
    providers=("aws",),
)
def password_expires(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Passwords that never expire stay valid long after a leak goes unnoticed.

    Many HIPAA programmes still require periodic change; where MFA is enforced for every
    user, an organisation may lower this rule's severity or raise its limit.
    """
    early = _precheck(resource, "password_max_age_days")
    if early:
        return early
    wanted = int(ctx.param("max_age_days"))
    value = int(resource.props.password_max_age_days)
    shown = "never expires passwords" if value == 0 else f"expires passwords after {value} days"
    return _judge(
        resource,
        0 < value <= wanted,
        f"{shown} (expected {wanted} or fewer)",
        MaxPasswordAge=value,
        max_age_days=wanted,
    )


_CLASSES = (
    ("password_require_uppercase", "RequireUppercaseCharacters", "an uppercase letter"),
    ("password_require_lowercase", "RequireLowercaseCharacters", "a lowercase letter"),
    ("password_require_numbers", "RequireNumbers", "a number"),
    ("password_require_symbols", "RequireSymbols", "a symbol"),
)


@rule(
    id="IAM-PASSWORD-04",
    title="The IAM password policy requires upper- and lowercase letters, numbers and symbols",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(PASSWORD_MANAGEMENT, PERSON_AUTHENTICATION),
    kinds=(IamAccount.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def password_complexity(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Passwords drawn from one character class fall quickly to guessing and cracking.

    Requiring every class (upper- and lowercase letters, numbers, symbols) widens the space
    an attacker must search for the password that guards ePHI.
    """
    del ctx
    props = resource.props
    where = f"Account {resource.account}"
    if props.password_policy_exists is None:
        return Verdict.unknown(f"{where}: the IAM password policy could not be read.")
    if not props.password_policy_exists:
        return Verdict.fail(f"{where} has no IAM password policy.", password_policy=None)
    values = {api: getattr(props, field) for field, api, _ in _CLASSES}
    if any(value is None for value in values.values()):
        return Verdict.unknown(
            f"{where}: the password policy did not report its character classes.", **values
        )
    missing = [label for field, _, label in _CLASSES if not getattr(props, field)]
    if missing:
        return Verdict.fail(
            f"{where}: the IAM password policy does not require {', '.join(missing)}.", **values
        )
    return Verdict.passed(
        f"{where}: the IAM password policy requires upper- and lowercase letters, numbers and "
        "symbols.",
        **values,
    )
