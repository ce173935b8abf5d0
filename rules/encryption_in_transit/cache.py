"""In-memory caches and databases must require TLS from their clients."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from scanner.kinds.data_api import CacheCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-CACHE-01",
    title="Cache cluster requires encryption in transit",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(CacheCluster.KIND,),
    providers=("aws",),
)
def cache_encrypted_in_transit(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Cached sessions and records cross the network on every read and write.

    Without TLS they travel in plaintext. A cache in the ``preferred`` transit mode
    accepts TLS and plaintext alike, so it fails too.
    """
    del ctx
    props: CacheCluster = resource.props
    subject = f"Cache cluster {resource.name}"
    evidence: dict[str, JSONValue] = {
        "encrypted_in_transit": props.encrypted_in_transit,
        "transit_encryption_mode": props.transit_encryption_mode,
    }
    if props.encrypted_in_transit is None:
        return Verdict.unknown(
            f"{subject}: its encryption in transit could not be read.", **evidence
        )
    if props.encrypted_in_transit:
        return Verdict.passed(f"{subject} requires TLS.", **evidence)
    if props.transit_encryption_mode == "preferred":
        return Verdict.fail(
            f"{subject} accepts plaintext connections as well as TLS (mode preferred).",
            **evidence,
        )
    return Verdict.fail(f"{subject} accepts unencrypted connections.", **evidence)
