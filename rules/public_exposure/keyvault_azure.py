"""Public exposure of Azure Key Vaults: network reach."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL
from scanner import netcoverage
from scanner.kinds.kms import KeyVault
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-AZKEYVAULT-01",
    title="Key Vault is reachable from selected networks only",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL],
    kinds=[KeyVault.KIND],
    providers=("azure",),
)
def key_vault_network_restricted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A vault open to every network answers anyone who holds a stolen token.

    Passes when public network access is disabled or the firewall's default action is
    Deny and its IP rules do not add up to the internet (all of IPv4, or a public block
    wider than a /8); a failure names the IP rules.
    """
    props: KeyVault = resource.props
    if props.public_network_access is None:
        return Verdict.unknown(
            f"Key Vault {resource.name}: its network settings could not be read."
        )
    if props.public_network_access:
        if props.network_ip_rules and netcoverage.is_internet(props.network_ip_rules):
            return Verdict.fail(
                f"Key Vault {resource.name} is reachable from every network through its IP "
                f"rules ({', '.join(props.network_ip_rules)}).",
                public_network_access=True,
                ip_rules=list(props.network_ip_rules),
            )
        return Verdict.fail(
            f"Key Vault {resource.name} is reachable from every network.",
            public_network_access=True,
        )
    return Verdict.passed(
        f"Key Vault {resource.name} is reachable from selected networks only.",
        public_network_access=False,
    )
