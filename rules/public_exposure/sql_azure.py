"""Public exposure of Azure SQL servers: firewall rules open to the internet or to Azure."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


def _public(props: DatabaseInstance) -> bool:
    detail = props.azure
    return detail is not None and (detail.public_network_access or "").lower() != "disabled"


@rule(
    id="PUB-AZSQL-01",
    title="Azure SQL server firewall does not admit the whole internet",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
)
def sql_not_open_to_internet(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A server firewall admitting every address leaves only a password between ePHI and anyone.

    Fails when the server-level firewall rules, taken together, are the internet (the
    threshold every firewall rule is judged by: all of IPv4, or a public block wider
    than a /8, so leaving out a few addresses does not help) while public network access
    is enabled. The 0.0.0.0-0.0.0.0 "Allow Azure services" rule is judged by
    PUB-AZSQL-02, not here.
    """
    props: DatabaseInstance = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure SQL server")
    evidence: dict[str, JSONValue] = {"public_network_access": detail.public_network_access}
    if not _public(props):
        return Verdict.passed(
            f"SQL server {resource.name} has public network access disabled.", **evidence
        )
    if detail.internet_rules is None:
        return Verdict.unknown(
            f"SQL server {resource.name}: its firewall rules could not be read.", **evidence
        )
    if detail.internet_rules:
        return Verdict.fail(
            f"SQL server {resource.name} admits the whole internet through firewall rules "
            f"{', '.join(detail.internet_rules)}.",
            internet_rules=list(detail.internet_rules),
            **evidence,
        )
    return Verdict.passed(
        f"SQL server {resource.name} admits listed addresses only.", internet_rules=[], **evidence
    )


@rule(
    id="PUB-AZSQL-02",
    title="Azure SQL server does not admit every Azure customer's resources",
    severity=Severity.LOW,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
    precision="high",
)
def sql_no_allow_azure_services(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The 0.0.0.0 "Allow Azure services" rule admits connections from any Azure tenant.

    A lower finding than an internet-open firewall: the caller must run in Azure, but
    need not be yours.
    """
    props: DatabaseInstance = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure SQL server")
    if not _public(props):
        return Verdict.passed(f"SQL server {resource.name} has public network access disabled.")
    if detail.allows_azure_services is None:
        return Verdict.unknown(f"SQL server {resource.name}: its firewall rules could not be read.")
    if detail.allows_azure_services:
        return Verdict.fail(
            f"SQL server {resource.name} admits every Azure service (0.0.0.0 rule).",
            allows_azure_services=True,
        )
    return Verdict.passed(
        f"SQL server {resource.name} does not admit all of Azure.", allows_azure_services=False
    )
