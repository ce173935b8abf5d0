"""The AWS root user: no access keys, and multi-factor authentication on.

Judges the `iam.account` singleton, read from `GetAccountSummary`.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, PERSON_AUTHENTICATION, UNIQUE_USER_IDENTIFICATION
from rules.support import judge_flag
from scanner.kinds.iam import IamAccount
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="IAM-ROOT-01",
    title="The root user has no access keys",
    severity=Severity.CRITICAL,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, UNIQUE_USER_IDENTIFICATION),
    kinds=(IamAccount.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def root_has_no_access_keys(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Root access keys give unrestricted, unattributable access to every ePHI store.

    No IAM policy can limit them, so they should not exist.
    """
    present = resource.props.root_access_keys_present
    subject = f"Account {resource.account}"
    return judge_flag(
        present,
        good=False,
        passed=f"{subject}: the root user has no access keys.",
        failed=f"{subject}: the root user has access keys.",
        unknown=f"{subject}: the account summary (root access keys) could not be read.",
        evidence={"AccountAccessKeysPresent": present},
        unknown_evidence={},
    )


@rule(
    id="IAM-ROOT-02",
    title="The root user has multi-factor authentication enabled",
    severity=Severity.CRITICAL,
    concern=Concern.ACCESS_CONTROL,
    citations=(PERSON_AUTHENTICATION, ACCESS_CONTROL),
    kinds=(IamAccount.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def root_mfa_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The root user can read all ePHI and delete its audit trail.

    A password alone is not adequate authentication for it.
    """
    enabled = resource.props.root_mfa_enabled
    subject = f"Account {resource.account}"
    props = resource.props
    if (
        enabled is False
        and props.root_password_enabled is False
        and props.root_access_keys_present is False
    ):
        # Root credentials removed (centralized root access): nothing to sign in with.
        return Verdict.passed(
            f"{subject}: the root user has no password and no access key, so it cannot sign "
            "in (MFA would protect nothing).",
            AccountMFAEnabled=False,
            root_password_enabled=False,
            root_access_keys_present=False,
        )
    return judge_flag(
        enabled,
        passed=f"{subject}: the root user has MFA enabled.",
        failed=f"{subject}: the root user has no MFA device.",
        unknown=f"{subject}: the account summary (root MFA) could not be read.",
        evidence={"AccountMFAEnabled": enabled},
        unknown_evidence={},
    )


@rule(
    id="IAM-ROOT-03",
    title="The root user's multi-factor authentication is a hardware device",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(PERSON_AUTHENTICATION, ACCESS_CONTROL),
    kinds=(IamAccount.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def root_hardware_mfa(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A virtual MFA device lives on a phone or laptop that can be cloned, lost or phished.

    A hardware key (FIDO security key or hardware TOTP token) kept in a safe is the
    stronger second factor for the one identity that can read all ePHI and no policy limits.
    """
    del ctx
    props = resource.props
    subject = f"Account {resource.account}"
    evidence = {
        "AccountMFAEnabled": props.root_mfa_enabled,
        "root_virtual_mfa": props.root_virtual_mfa,
    }
    if (
        props.root_mfa_enabled is False
        and props.root_password_enabled is False
        and props.root_access_keys_present is False
    ):
        return Verdict.passed(
            f"{subject}: the root user has no password and no access key, so it cannot sign in.",
            **evidence,
            root_password_enabled=False,
        )
    if props.root_mfa_enabled is None:
        return Verdict.unknown(f"{subject}: the account summary (root MFA) could not be read.")
    if not props.root_mfa_enabled:
        return Verdict.fail(f"{subject}: the root user has no MFA device at all.", **evidence)
    return judge_flag(
        props.root_virtual_mfa,
        good=False,
        passed=f"{subject}: the root user's MFA is a hardware device.",
        failed=f"{subject}: the root user's MFA is a virtual (software) device.",
        unknown=f"{subject}: the virtual MFA devices could not be listed.",
        evidence=evidence,
    )
