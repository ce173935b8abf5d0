"""Meta-tests over the provider registry and the rule registry together."""

from __future__ import annotations

import pytest

from providers import get_provider, provider_names
from rules import load_rules


@pytest.mark.parametrize("name", provider_names())
def test_every_permission_of_every_provider_is_read_only(name: str) -> None:
    provider = get_provider(name)
    permissions = provider.permissions()
    assert permissions, f"{name} declares no permission"
    writes = [p for p in permissions if not provider.is_read_only(p)]
    assert writes == []


@pytest.mark.parametrize("name", provider_names())
def test_every_collector_declares_its_kinds_and_calls(name: str) -> None:
    for coll in get_provider(name).collectors():
        assert coll.produces, f"{name} collector {coll.name} declares no kind"
        assert coll.calls, f"{name} collector {coll.name} declares no call"


def test_every_rule_kind_is_produced_on_every_cloud_the_rule_claims() -> None:
    # A rule judging several kinds (database instances and clusters) is claimed by a cloud
    # that has only some of them (Cloud SQL has no clusters): at least one must be produced.
    produced = {
        name: {kind for coll in get_provider(name).collectors() for kind in coll.produces}
        for name in provider_names()
    }
    missing = sorted(
        (rule.id, provider, rule.meta.kinds)
        for rule in load_rules()
        for provider in rule.meta.providers
        if not set(rule.meta.kinds) & produced.get(provider, set())
    )
    assert missing == []


def test_every_rule_claims_only_registered_providers() -> None:
    unknown = sorted(
        (r.id, p) for r in load_rules() for p in r.meta.providers if p not in provider_names()
    )
    assert unknown == []
