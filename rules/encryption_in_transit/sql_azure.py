"""Encryption in transit for Azure SQL servers: the minimum TLS version."""

from __future__ import annotations

from typing import Any

from rules.encryption_in_transit.storage_azure import tls_version
from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


def tls_verdict(what: str, value: str | None, minimum: str) -> Verdict:
    """PASS / FAIL / UNKNOWN for a configured minimum TLS version against `minimum`."""
    wanted = tls_version(minimum) or (1, 2)
    found = tls_version(value)
    if value is None:
        return Verdict.unknown(f"{what}: its minimum TLS version could not be read.")
    if found is None:
        # ARM's "None" means no minimum: every TLS version is accepted.
        return Verdict.fail(
            f"{what} sets no minimum TLS version ({value}).", minimum_tls_version=value
        )
    if found >= wanted:
        return Verdict.passed(
            f"{what} accepts TLS {found[0]}.{found[1]} or later.", minimum_tls_version=value
        )
    return Verdict.fail(
        f"{what} accepts TLS {found[0]}.{found[1]} (minimum wanted: {wanted[0]}.{wanted[1]}).",
        minimum_tls_version=value,
    )


@rule(
    id="EIT-AZSQL-01",
    title="Azure SQL server refuses TLS versions below 1.2",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=[TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
    params={"minimum": "1.2"},
)
def sql_minimum_tls(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Azure SQL always encrypts connections, but accepts TLS 1.0 and 1.1 unless told not to.

    Judges the server's minimalTlsVersion against the parameter `minimum`.
    """
    props: DatabaseInstance = resource.props
    if props.azure is None:
        return Verdict.not_applicable("not an Azure SQL server")
    return tls_verdict(
        f"SQL server {resource.name}", props.azure.minimal_tls_version, str(ctx.param("minimum"))
    )
