"""Public exposure of Azure PostgreSQL and MySQL flexible servers."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-AZFLEXDB-01",
    title="Flexible server firewall does not admit the whole internet",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
)
def flexible_server_not_open(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A public server whose firewall rules add up to every address answers anyone.

    Passes when public network access is disabled (private access only) or the firewall
    rules, taken together, are not the internet (all of IPv4, or a public block wider
    than a /8: a range missing a few addresses still is).
    """
    props: DatabaseInstance = resource.props
    detail = props.azure_flexible
    if detail is None:
        return Verdict.not_applicable("not an Azure flexible server")
    evidence: dict[str, JSONValue] = {"public_network_access": detail.public_network_access}
    if (detail.public_network_access or "").lower() == "disabled":
        return Verdict.passed(
            f"Server {resource.name} has public network access disabled.", **evidence
        )
    if detail.internet_rules is None:
        return Verdict.unknown(
            f"Server {resource.name}: its firewall rules could not be read.", **evidence
        )
    if detail.internet_rules:
        return Verdict.fail(
            f"Server {resource.name} admits the whole internet through firewall rules "
            f"{', '.join(detail.internet_rules)}.",
            internet_rules=list(detail.internet_rules),
            **evidence,
        )
    return Verdict.passed(
        f"Server {resource.name} admits listed addresses only.", internet_rules=[], **evidence
    )
