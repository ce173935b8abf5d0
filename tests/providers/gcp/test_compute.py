"""GCP networking against the fake: effective firewall exposure and subnet flow logs."""

from __future__ import annotations

from typing import Any

from providers.gcp.demo_estate import DEV, PROD, firewall
from providers.gcp.fake import FakeGoogle
from scanner.engine import EvaluationConfig, evaluate
from scanner.model import Snapshot
from tests.providers.gcp.conftest import Scan
from tests.providers.gcp.test_collectors import gap_set, of_kind
from tests.rules.support import rule_by_id

FW = f"//compute.googleapis.com/projects/{PROD}/global/firewalls/"
FIREWALL_RULES = ("PUB-FIREWALL-01", "PUB-FIREWALL-02", "PUB-FIREWALL-03")


def firewall_verdicts(snapshot: Snapshot) -> set[tuple[str, str, str]]:
    """(rule, firewall name, status) of the three firewall rules, through the engine."""
    rules = [rule_by_id(r) for r in FIREWALL_RULES]
    findings = evaluate([snapshot], rules, EvaluationConfig()).findings
    return {(f.rule_id, f.resource.uid.removeprefix(FW), str(f.status)) for f in findings}


def only_firewalls(fake: FakeGoogle, *rules: dict[str, Any]) -> None:
    fake.projects[PROD]["firewalls"] = list(rules)


def test_firewall_rules_as_google_evaluates_them(scan: Scan) -> None:
    firewalls = of_kind(scan(PROD, collectors=("compute",)), "network.firewall")
    exposure = {
        uid.removeprefix(FW): {
            (i.protocol, i.from_port, i.to_port) for i in f.props.internet_ingress
        }
        for uid, f in firewalls.items()
    }
    # Deny and disabled rules are not judged; they only decide the others.
    assert exposure == {
        "allow-https-web": {("tcp", 443, 443)},
        "allow-ssh-anywhere": set(),
        "allow-rdp-win": set(),
        "allow-db-halves": {("tcp", 3306, 3306), ("tcp", 5432, 5432)},
        "allow-ssh-ops": {("tcp", 22, 22)},
        "allow-internal": set(),
        "allow-any-vendor": {("all", None, None)},
    }


def test_subnet_flow_logs_per_network(scan: Scan) -> None:
    subnets = of_kind(scan(PROD, collectors=("compute",)), "network.vpc")
    logged = {
        (n.region, n.name, n.props.is_default, bool(n.props.flow_logs)) for n in subnets.values()
    }
    assert logged == {
        ("us-central1", "default/default", True, True),
        ("europe-west1", "default/default", True, False),
        ("us-central1", "phi-vpc/phi-app", False, True),
        ("us-central1", "phi-vpc/phi-db", False, True),
    }


def test_unreadable_firewalls_are_a_gap_not_an_open_door(scan: Scan, fake: FakeGoogle) -> None:
    fake.fail("compute.firewalls.list", 403, "SERVICE_DISABLED", match=DEV)
    snapshot = scan(DEV, collectors=("compute",))
    assert of_kind(snapshot, "network.firewall") == {}
    assert gap_set(snapshot) == {(DEV, "compute.firewalls.list", "SERVICE_DISABLED", None)}


def test_a_network_wide_deny_carves_every_allow_in_that_network(
    scan: Scan, fake: FakeGoogle
) -> None:
    fake.projects[PROD]["firewalls"].append(
        firewall("allow-any-contractor", protocol="all", tags=("contractor",))
    )
    firewalls = of_kind(scan(PROD, collectors=("compute",)), "network.firewall")
    contractor = firewalls[f"{FW}allow-any-contractor"].props.internet_ingress
    # deny-ssh-internet (priority 900, every instance of the default network) takes tcp/22.
    assert {(i.protocol, i.from_port, i.to_port) for i in contractor} == {
        ("tcp", 0, 21),
        ("tcp", 23, 65535),
        ("udp", 0, 65535),
    }


def test_a_deny_aimed_at_one_address_does_not_close_the_network(
    scan: Scan, fake: FakeGoogle
) -> None:
    aimed = firewall("deny-ssh-one-host", ports=("22",), allow=False, priority=10)
    aimed["destinationRanges"] = ["10.0.0.5/32"]
    only_firewalls(fake, aimed, firewall("allow-ssh", ports=("22",)))
    assert firewall_verdicts(scan(PROD, collectors=("compute",))) == {
        ("PUB-FIREWALL-01", "allow-ssh", "FAIL"),
        ("PUB-FIREWALL-02", "allow-ssh", "PASS"),
        ("PUB-FIREWALL-03", "allow-ssh", "PASS"),
    }


def test_a_deny_on_some_service_accounts_does_not_close_an_allow_for_all(
    scan: Scan, fake: FakeGoogle
) -> None:
    some = firewall("deny-all-some", protocol="all", allow=False, priority=10)
    some["targetServiceAccounts"] = ["app@nwh.iam.gserviceaccount.com"]
    disabled = firewall("deny-all-off", protocol="all", allow=False, priority=10, disabled=True)
    only_firewalls(fake, some, disabled, firewall("allow-any", protocol="all"))
    assert firewall_verdicts(scan(PROD, collectors=("compute",))) == {
        ("PUB-FIREWALL-01", "allow-any", "FAIL"),
        ("PUB-FIREWALL-02", "allow-any", "FAIL"),
        ("PUB-FIREWALL-03", "allow-any", "FAIL"),
    }


def test_a_rule_written_with_protocol_numbers_is_judged(scan: Scan, fake: FakeGoogle) -> None:
    only_firewalls(
        fake,
        firewall("allow-ssh-by-number", protocol="6", ports=("22",)),
        firewall("allow-db-by-number", protocol="6", ports=("5432",), tags=("db",)),
    )
    assert firewall_verdicts(scan(PROD, collectors=("compute",))) == {
        ("PUB-FIREWALL-01", "allow-ssh-by-number", "FAIL"),
        ("PUB-FIREWALL-02", "allow-ssh-by-number", "PASS"),
        ("PUB-FIREWALL-03", "allow-ssh-by-number", "PASS"),
        ("PUB-FIREWALL-01", "allow-db-by-number", "PASS"),
        ("PUB-FIREWALL-02", "allow-db-by-number", "FAIL"),
        ("PUB-FIREWALL-03", "allow-db-by-number", "PASS"),
    }
