"""In-memory caches and databases must encrypt their data at rest."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.data_api import CacheCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-CACHE-01",
    title="Cache cluster is encrypted at rest",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(CacheCluster.KIND,),
    providers=("aws",),
)
def cache_encrypted_at_rest(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Caches write their data to disk (snapshots, swap, data tiering): it must be encrypted.

    Node-based Memcached cannot encrypt at rest at all, so it fails: ePHI kept there is
    stored unencrypted. Keep ePHI out of it (tag it out of PHI scope), or move it to an
    engine that encrypts.
    """
    del ctx
    props: CacheCluster = resource.props
    subject = f"Cache cluster {resource.name}"
    evidence: dict[str, JSONValue] = {
        "encrypted_at_rest": props.encrypted_at_rest,
        "engine": props.engine,
        "kms_key_id": props.kms_key_id,
    }
    if props.encrypted_at_rest is None:
        return Verdict.unknown(f"{subject}: its encryption at rest could not be read.", **evidence)
    if props.encrypted_at_rest:
        return Verdict.passed(f"{subject} is encrypted at rest.", **evidence)
    if not props.at_rest_supported:
        return Verdict.fail(
            f"{subject} is not encrypted at rest: its engine ({props.engine}) cannot be.",
            **evidence,
        )
    return Verdict.fail(f"{subject} is not encrypted at rest.", **evidence)
