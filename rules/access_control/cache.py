"""In-memory caches and databases must authenticate their clients."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, PERSON_AUTHENTICATION
from scanner.kinds.data_api import CacheCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

_HOW = {"token": "an AUTH token", "rbac": "role-based access control (users and access lists)"}


@rule(
    id="IAM-CACHE-01",
    title="Cache cluster requires clients to authenticate",
    severity=Severity.HIGH,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, PERSON_AUTHENTICATION),
    kinds=(CacheCluster.KIND,),
    providers=("aws",),
)
def cache_requires_auth(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Without AUTH or access lists, anything that reaches the port reads and writes all data.

    Memcached cannot authenticate clients, so it fails: its only guard is the network.
    MemoryDB's built-in ``open-access`` list lets every connection in, so it fails too.
    Whether the users of an access list themselves have passwords is not read.
    """
    del ctx
    props: CacheCluster = resource.props
    subject = f"Cache cluster {resource.name}"
    evidence: dict[str, JSONValue] = {"auth_mode": props.auth_mode, "engine": props.engine}
    if props.auth_mode is None:
        return Verdict.unknown(
            f"{subject}: its authentication settings could not be read.", **evidence
        )
    if props.auth_mode in _HOW:
        return Verdict.passed(
            f"{subject} authenticates clients with {_HOW[props.auth_mode]}.", **evidence
        )
    return Verdict.fail(f"{subject} lets any client connect without authenticating.", **evidence)
