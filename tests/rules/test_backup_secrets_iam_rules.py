"""Rules of issue 11 group A (backup, secrets, IAM extras): PASS, FAIL and UNKNOWN each."""

from __future__ import annotations

import dataclasses

from scanner.kinds.iam import IamPrincipal
from scanner.model import Status
from tests.rules.test_iam_rules import (
    NO_POLICY,
    POLICY,
    ROLE,
    SETTINGS,
    USER,
    judge,
    key,
    not_judged,
    status,
)

COMPLEX = dataclasses.replace(
    SETTINGS,
    password_require_uppercase=True,
    password_require_lowercase=True,
    password_require_numbers=True,
    password_require_symbols=True,
    root_virtual_mfa=False,
)


def test_password_complexity() -> None:
    assert status("IAM-PASSWORD-04", COMPLEX) is Status.PASS
    weak = dataclasses.replace(COMPLEX, password_require_symbols=False)
    finding = judge("IAM-PASSWORD-04", weak)
    assert finding.status is Status.FAIL
    assert finding.message.endswith("does not require a symbol.")
    assert finding.evidence["RequireSymbols"] is False
    assert status("IAM-PASSWORD-04", NO_POLICY) is Status.FAIL
    # A snapshot written before these facts existed, or an unreadable policy: unknown.
    assert status("IAM-PASSWORD-04", SETTINGS) is Status.UNKNOWN
    unreadable = dataclasses.replace(COMPLEX, password_policy_exists=None)
    assert status("IAM-PASSWORD-04", unreadable) is Status.UNKNOWN


def test_root_hardware_mfa() -> None:
    assert status("IAM-ROOT-03", COMPLEX) is Status.PASS
    virtual = judge("IAM-ROOT-03", dataclasses.replace(COMPLEX, root_virtual_mfa=True))
    assert virtual.status is Status.FAIL
    assert virtual.evidence == {"AccountMFAEnabled": True, "root_virtual_mfa": True}
    no_mfa = dataclasses.replace(COMPLEX, root_mfa_enabled=False)
    assert status("IAM-ROOT-03", no_mfa) is Status.FAIL
    assert status("IAM-ROOT-03", dataclasses.replace(COMPLEX, root_virtual_mfa=None)) is (
        Status.UNKNOWN
    )
    assert status("IAM-ROOT-03", dataclasses.replace(COMPLEX, root_mfa_enabled=None)) is (
        Status.UNKNOWN
    )
    # Root credentials removed: nothing to sign in with, so nothing to protect.
    removed = dataclasses.replace(no_mfa, root_password_enabled=False)
    assert status("IAM-ROOT-03", removed) is Status.PASS


def test_policy_decrypt_on_every_key() -> None:
    assert status("IAM-POLICY-04", dataclasses.replace(POLICY, kms_decrypt_all_keys=())) is (
        Status.PASS
    )
    found = ("Statement[0]: Allow kms:Decrypt on every key",)
    finding = judge("IAM-POLICY-04", dataclasses.replace(POLICY, kms_decrypt_all_keys=found))
    assert finding.status is Status.FAIL
    assert finding.evidence == {"kms_decrypt_all_keys": list(found)}
    assert status("IAM-POLICY-04", POLICY) is Status.UNKNOWN  # not read (older snapshot)


def used(ever: bool | None = True, since: int | None = 5, age: int | None = 400) -> IamPrincipal:
    return dataclasses.replace(
        USER, password_ever_used=ever, password_days_since_use=since, password_age_days=age
    )


def test_console_password_recently_used() -> None:
    assert status("IAM-USER-04", used(since=90)) is Status.PASS
    stale = judge("IAM-USER-04", used(since=91))
    assert stale.status is Status.FAIL
    assert (
        stale.message == "User thing has a console password last used 91 days ago (limit 90 days)."
    )
    assert status("IAM-USER-04", used(ever=False, since=None, age=91)) is Status.FAIL
    assert status("IAM-USER-04", used(ever=False, since=None, age=10)) is Status.PASS
    assert status("IAM-USER-04", used(ever=None, since=None)) is Status.UNKNOWN
    assert status("IAM-USER-04", used(ever=False, since=None, age=None)) is Status.UNKNOWN
    no_password = dataclasses.replace(used(ever=None), console_access=False)
    assert status("IAM-USER-04", no_password) is Status.PASS
    assert status("IAM-USER-04", dataclasses.replace(USER, console_access=None)) is (Status.UNKNOWN)
    assert status("IAM-USER-04", used(since=40), max_password_unused_days=30) is Status.FAIL
    assert not_judged("IAM-USER-04", ROLE)


def test_user_credentials_recently_used() -> None:
    # A stale password but a key used yesterday: the account is in use.
    mixed = dataclasses.replace(used(since=200), access_keys=(key(since=1),))
    assert status("IAM-USER-05", mixed) is Status.PASS
    dormant = dataclasses.replace(used(since=200), access_keys=(key(since=120),))
    finding = judge("IAM-USER-05", dormant)
    assert finding.status is Status.FAIL
    assert finding.evidence["password_days_since_use"] == 200
    # An inactive key does not count as a credential held.
    inactive = dataclasses.replace(used(since=200), access_keys=(key(since=1, active=False),))
    assert status("IAM-USER-05", inactive) is Status.FAIL
    keys_only = dataclasses.replace(
        USER, console_access=False, access_keys=(key(age=200, used=False, since=None),)
    )
    assert status("IAM-USER-05", keys_only) is Status.FAIL
    nothing = dataclasses.replace(USER, console_access=False, access_keys=())
    assert status("IAM-USER-05", nothing) is Status.PASS
    unknown_use = dataclasses.replace(used(ever=None, since=None), access_keys=(key(since=120),))
    assert status("IAM-USER-05", unknown_use) is Status.UNKNOWN
    assert status("IAM-USER-05", dataclasses.replace(USER, access_keys=None)) is Status.UNKNOWN
    assert not_judged("IAM-USER-05", ROLE)
