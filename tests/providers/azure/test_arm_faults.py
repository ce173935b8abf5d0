"""ARM faults become gaps: 403, 404, 409 MissingSubscriptionRegistration, 429, 5xx."""

from __future__ import annotations

import time

import pytest

from providers.azure.arm import operation_of
from providers.azure.demo_estate import SUB_A, SUB_B, account_uid, seed, sub_path
from providers.azure.fake_arm import FakeArm
from providers.azure.provider import NOT_ACTIVE
from providers.base import CallCounter
from scanner.engine import merge_snapshots
from scanner.errors import CollectionError, UsageError
from tests.providers.azure.conftest import scan

STORAGE_LIST = f"{sub_path(SUB_A)}/providers/Microsoft.Storage/storageAccounts"


def gap_set(snapshot) -> set[tuple[str, str, str]]:
    return {(g.account, g.operation, g.error_code) for g in snapshot.gaps}


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (403, "AuthorizationFailed"),
        (404, "SubscriptionNotFound"),
        (409, "MissingSubscriptionRegistration"),
        (503, "ServiceUnavailable"),
    ],
)
def test_a_failed_list_is_a_gap_and_lists_nothing(arm: FakeArm, status: int, code: str) -> None:
    seed(arm)
    arm.fail(STORAGE_LIST, status, code)
    snapshot = scan(arm, [SUB_A, SUB_B])
    assert gap_set(snapshot) == {(SUB_A, "Microsoft.Storage/storageAccounts", code)}
    # The other subscription is still scanned.
    assert {r.account for r in snapshot.resources if r.kind == "storage.bucket"} == {SUB_B}
    # Never a registration POST (or any other write) in answer to a 409.
    assert {s.method for s in arm.seen} == {"GET"}


def test_missing_registration_gap_says_the_scanner_does_not_register(arm: FakeArm) -> None:
    seed(arm)
    arm.fail(STORAGE_LIST, 409, "MissingSubscriptionRegistration")
    [gap] = scan(arm, [SUB_A]).gaps
    assert "never registers a resource provider" in gap.message


def test_429_is_retried_after_retry_after(arm: FakeArm) -> None:
    seed(arm)
    arm.page_size = 10
    arm.fail(STORAGE_LIST, 429, "TooManyRequests", times=1, retry_after=1)
    started = time.monotonic()
    snapshot = scan(arm, [SUB_A], max_attempts=3)
    assert time.monotonic() - started >= 1.0
    assert snapshot.gaps == ()
    assert [s.path for s in arm.seen].count(STORAGE_LIST) == 2


def test_429_after_the_last_attempt_is_a_gap(arm: FakeArm) -> None:
    seed(arm)
    arm.fail(STORAGE_LIST, 429, "TooManyRequests", retry_after=1)
    snapshot = scan(arm, [SUB_A], max_attempts=2)
    assert gap_set(snapshot) == {(SUB_A, "Microsoft.Storage/storageAccounts", "TooManyRequests")}


def test_a_denied_subscription_is_a_gap_not_a_crash(arm: FakeArm) -> None:
    seed(arm)
    arm.fail(sub_path(SUB_B), 403, "AuthorizationFailed")
    snapshot = scan(arm, [SUB_A, SUB_B])
    assert gap_set(snapshot) == {
        (SUB_B, "Microsoft.Resources/subscriptions", "AuthorizationFailed")
    }
    assert {r.account for r in snapshot.resources} == {SUB_A}
    assert snapshot.scope.accounts == tuple(sorted((SUB_A, SUB_B)))


def test_all_subscriptions_lists_enabled_ones_less_excluded(arm: FakeArm) -> None:
    seed(arm)
    arm.page_size = 1
    counter = CallCounter()
    snapshot = scan(arm, everything=True, counter=counter, exclude_subscriptions=(SUB_B.upper(),))
    assert snapshot.scope.accounts == (SUB_A,)
    assert snapshot.api_calls == counter.total == len(arm.seen)


def test_a_bad_token_stops_the_scan_with_a_clear_error(
    arm: FakeArm, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(arm)
    monkeypatch.setenv("HIPAA_SCAN_AZURE_TOKEN", "wrong")
    with pytest.raises(CollectionError, match="no usable Azure credential"):
        scan(arm, [SUB_A])


def test_the_ca_bundle_is_needed_for_the_fake(arm: FakeArm) -> None:
    seed(arm)
    with pytest.raises(CollectionError, match="cannot reach Azure Resource Manager"):
        scan(arm, [SUB_A], ca_bundle=None)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({}, "name what to scan"),
        ({"subscriptions": ("not-a-guid",)}, "is not a subscription id"),
        ({"subscriptions": (SUB_A,), "all_subscriptions": True}, "not several"),
        ({"management_group": "mg", "all_subscriptions": True}, "not several"),
        ({"management_group": "bad/id"}, "not a management group id"),
        ({"subscriptions": (SUB_A,), "exclude_subscriptions": (SUB_B,)}, "only applies"),
        ({"subscriptions": (SUB_A,), "arm_endpoint": "http://127.0.0.1:1"}, "https"),
        ({"subscriptions": (SUB_A,), "ca_bundle": "/nonexistent"}, "only applies"),
    ],
)
def test_bad_flags_are_usage_errors(flags: dict, message: str) -> None:
    from providers.azure.options import options_from_flags

    with pytest.raises(UsageError, match=message):
        options_from_flags(flags)


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        ("/subscriptions", "GET Microsoft.Resources/subscriptions"),
        (f"/subscriptions/{SUB_A}", "GET Microsoft.Resources/subscriptions"),
        (STORAGE_LIST, "GET Microsoft.Storage/storageAccounts"),
        (
            f"{account_uid(SUB_A, 'rg', 'a')}/blobServices/default/containers",
            "GET microsoft.storage/storageaccounts/blobServices/containers",
        ),
        (
            f"{account_uid(SUB_A, 'rg', 'a')}/providers/Microsoft.Insights/diagnosticSettings",
            "GET Microsoft.Insights/diagnosticSettings",
        ),
    ],
)
def test_operation_of_names_the_resource_type(path: str, operation: str) -> None:
    assert operation_of(path) == operation


def test_the_read_only_predicate_refuses_posts_and_secret_actions() -> None:
    from providers import get_provider
    from providers.base import Permission

    provider = get_provider("azure")
    assert provider.is_read_only(
        Permission(
            "GET Microsoft.Storage/storageAccounts", "Microsoft.Storage/storageAccounts/read"
        )
    )
    for operation, grant in [
        (
            "POST Microsoft.Storage/storageAccounts/listKeys",
            "Microsoft.Storage/storageAccounts/listKeys/action",
        ),
        (
            "GET Microsoft.Storage/storageAccounts/listAccountSas",
            "Microsoft.Storage/storageAccounts/listAccountSas/read",
        ),
        ("GET Microsoft.Web/sites/config/list", "Microsoft.Web/sites/config/list/action"),
        (
            "GET Microsoft.Web/sites/listConnectionStrings",
            "Microsoft.Web/sites/listConnectionStrings/read",
        ),
        ("GET Microsoft.Storage/storageAccounts", "Microsoft.Storage/*/read"),
        ("PUT Microsoft.Storage/storageAccounts", "Microsoft.Storage/storageAccounts/write"),
    ]:
        assert not provider.is_read_only(Permission(operation, grant)), operation


def test_every_declared_operation_is_a_get_of_its_read_action() -> None:
    from providers import get_provider
    from providers.azure.arm import grant_of

    for permission in get_provider("azure").permissions():
        assert permission.operation.startswith("GET ")
        assert permission.grant == grant_of(permission.operation)


def test_a_next_link_to_another_host_is_not_followed(arm: FakeArm) -> None:
    from providers.azure.arm import Arm, ArmError, StaticToken
    from providers.azure.fake_arm import TOKEN

    arm.put(f"{STORAGE_LIST}", {"value": [], "nextLink": "https://elsewhere.example/x"})
    client = Arm(
        endpoint=arm.base_url,
        credential=StaticToken(TOKEN),
        scope="https://management.azure.com/.default",
        ca_bundle=arm.ca_path,
        max_attempts=1,
        pool_size=2,
    )
    with pytest.raises(ArmError, match="outside"):
        list(client.pages(STORAGE_LIST, "2023-05-01"))
    client.close()
    assert [s.path for s in arm.seen] == [STORAGE_LIST]


def test_a_read_timeout_is_a_gap(arm: FakeArm, monkeypatch: pytest.MonkeyPatch) -> None:
    import providers.azure.arm as arm_module

    seed(arm)
    monkeypatch.setattr(arm_module, "READ_TIMEOUT", 0.3)
    arm.delay(STORAGE_LIST, 1.0)
    snapshot = scan(arm, [SUB_A])
    assert gap_set(snapshot) == {
        (SUB_A, "Microsoft.Storage/storageAccounts", "ServiceResponseTimeoutError")
    }
    assert [r for r in snapshot.resources if r.kind == "storage.bucket"] == []


def test_management_group_scans_its_enabled_subscriptions(arm: FakeArm) -> None:
    from providers.azure.demo_estate import subscription

    seed(arm)
    other = "3333cccc-0000-4000-8000-00000000000c"
    arm.put(sub_path(other), subscription(other, "Old", state="Disabled"))
    group = "/providers/Microsoft.Management/managementGroups/nwh-root/descendants"
    arm.put_list(
        group,
        [
            {"name": "nwh-child", "type": "Microsoft.Management/managementGroups"},
            {"name": SUB_A, "type": "Microsoft.Management/managementGroups/subscriptions"},
            {"name": SUB_B.upper(), "type": "Microsoft.Management/managementGroups/subscriptions"},
            {"name": other, "type": "Microsoft.Management/managementGroups/subscriptions"},
        ],
    )
    snapshot = scan(arm, management_group="nwh-root")
    # The Disabled one is not scanned, but it is no longer dropped silently: a gap.
    assert gap_set(snapshot) == {(other, "Microsoft.Resources/subscriptions", NOT_ACTIVE)}
    assert {r.account for r in snapshot.resources} == {SUB_A, SUB_B}
    assert snapshot.scope.accounts == (SUB_A, SUB_B, other)
    excluded = scan(arm, management_group="nwh-root", exclude_subscriptions=(SUB_B, other))
    assert excluded.scope.accounts == (SUB_A,)
    assert excluded.gaps == ()


WARNED = "4444dddd-0000-4000-8000-00000000000d"
PAST_DUE = "5555eeee-0000-4000-8000-00000000000e"
DISABLED = "3333cccc-0000-4000-8000-00000000000c"
EXPIRED = "6666ffff-0000-4000-8000-00000000000f"


def _states(arm: FakeArm) -> None:
    """Subscriptions in every state, each with one storage account."""
    from providers.azure.demo_estate import (
        blob_service,
        seed_account,
        storage_account,
        subscription,
    )

    seed(arm)
    states = {WARNED: "Warned", PAST_DUE: "PastDue", DISABLED: "Disabled", EXPIRED: "Expired"}
    listed = [subscription(SUB_A, "NWH Production"), subscription(SUB_B, "NWH Billing")]
    for sub, state in states.items():
        listed.append(subscription(sub, state, state=state))
        arm.put(sub_path(sub), subscription(sub, state, state=state))
        account = storage_account(sub, "rg", f"acct{state.lower()}")
        arm.put_list(f"{sub_path(sub)}/providers/Microsoft.Storage/storageAccounts", [account])
        seed_account(arm, account, blob_service(), [], [])
    arm.put_list("/subscriptions", listed)


def test_warned_and_past_due_subscriptions_are_scanned_disabled_ones_are_gaps(
    arm: FakeArm,
) -> None:
    _states(arm)
    named = scan(arm, [SUB_A, WARNED, PAST_DUE, DISABLED, EXPIRED])
    assert {r.account for r in named.resources if r.kind == "storage.bucket"} == {
        SUB_A,
        WARNED,
        PAST_DUE,
    }
    assert gap_set(named) == {
        (DISABLED, "Microsoft.Resources/subscriptions", NOT_ACTIVE),
        (EXPIRED, "Microsoft.Resources/subscriptions", NOT_ACTIVE),
    }
    assert set(named.scope.accounts) == {SUB_A, WARNED, PAST_DUE, DISABLED, EXPIRED}
    # Listed with --all-subscriptions, the inactive ones were not selected: skipped quietly.
    listed = scan(arm, everything=True)
    assert {r.account for r in listed.resources if r.kind == "storage.bucket"} == {
        SUB_A,
        SUB_B,
        WARNED,
        PAST_DUE,
    }
    assert listed.gaps == ()


def test_an_unlistable_management_group_stops_the_scan(arm: FakeArm) -> None:
    arm.fail(
        "/providers/Microsoft.Management/managementGroups/nope/descendants",
        403,
        "AuthorizationFailed",
    )
    with pytest.raises(CollectionError, match="cannot list management group nope"):
        scan(arm, management_group="nope")


def test_shards_of_all_subscriptions_partition_them_and_merge_whole(arm: FakeArm) -> None:
    seed(arm)
    whole = scan(arm, everything=True)
    parts = [scan(arm, everything=True, shard=f"{i}/2") for i in (1, 2)]
    accounts = [set(p.scope.accounts) for p in parts]
    assert accounts[0].isdisjoint(accounts[1])
    assert accounts[0] | accounts[1] == set(whole.scope.accounts)
    assert {p.scope.shard for p in parts} == {"1/2", "2/2"}
    assert parts[0].scope.plan == parts[1].scope.plan is not None
    merged, gaps = merge_snapshots(parts)
    assert {r.uid for r in merged} == {r.uid for r in whole.resources}
    assert gaps == list(whole.gaps)
    _, missing = merge_snapshots(parts[:1])
    assert [g.error_code for g in missing] == ["MissingShard"]


def test_shard_needs_a_listing(arm: FakeArm) -> None:
    with pytest.raises(UsageError, match="--shard only applies with --all-subscriptions"):
        scan(arm, [SUB_A], shard="1/2")
