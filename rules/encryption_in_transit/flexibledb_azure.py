"""Encryption in transit for Azure PostgreSQL and MySQL flexible servers."""

from __future__ import annotations

from typing import Any

from rules.encryption_in_transit.storage_azure import tls_version
from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-AZFLEXDB-01",
    title="Flexible server requires TLS 1.2 or later",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=[TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
    params={"minimum": "1.2"},
)
def flexible_server_tls(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database server that accepts plain or old-TLS connections exposes ePHI in transit.

    Both server parameters must hold: require_secure_transport is ON, and the lowest TLS
    version accepted (PostgreSQL ssl_min_protocol_version, MySQL tls_version) is at least
    the parameter `minimum`.
    """
    props: DatabaseInstance = resource.props
    detail = props.azure_flexible
    if detail is None:
        return Verdict.not_applicable("not an Azure flexible server")
    evidence: dict[str, JSONValue] = {
        "require_secure_transport": detail.require_secure_transport,
        "minimum_tls_version": detail.minimum_tls_version,
    }
    wanted = tls_version(str(ctx.param("minimum"))) or (1, 2)
    found = tls_version(detail.minimum_tls_version)
    if detail.require_secure_transport is False:
        return Verdict.fail(f"Server {resource.name} accepts unencrypted connections.", **evidence)
    if found is not None and found < wanted:
        return Verdict.fail(
            f"Server {resource.name} accepts TLS {found[0]}.{found[1]}.", **evidence
        )
    if detail.require_secure_transport is None or found is None:
        return Verdict.unknown(
            f"Server {resource.name}: its TLS parameters could not be read.", **evidence
        )
    return Verdict.passed(
        f"Server {resource.name} requires TLS {found[0]}.{found[1]} or later.", **evidence
    )
