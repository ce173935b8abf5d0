"""Facts about the services that serve, index, cache and analyse ePHI behind applications.

API stages and custom domains (API Gateway), search domains (OpenSearch/Elasticsearch),
in-memory caches (ElastiCache, MemoryDB) and machine-learning notebooks and endpoint
configurations (SageMaker). A fact that could not be read is `None`; `False` (or an empty
tuple) means "read, and off".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class ApiStage:
    """A deployed stage of an API (the URL clients call) and how it is logged and guarded.

    `protocol` is ``rest``, ``http`` or ``websocket``. `private` is whether the API is
    reachable only from inside private networks. `access_logging` is whether each request
    is written to an access log (`access_log_destination`). `execution_logging` is whether
    the gateway logs its own processing of every method (`execution_log_level`); `None`
    for a protocol that has no execution log is not a gap: `execution_log_supported` says
    so. `waf_acl` is the web application firewall attached (``""`` when none);
    `waf_supported` is false where the protocol cannot have one.

    `unlisted` marks the stand-in for every stage of an API whose stages could not be
    listed (its `stage_name` is ``*``): only what the API listing said is known, every
    stage fact is None, and rules on stages answer UNKNOWN for it.
    """

    KIND: ClassVar[str] = "api.stage"

    api_id: str
    api_name: str | None
    protocol: str
    stage_name: str
    private: bool | None
    access_logging: bool | None
    access_log_destination: str | None
    execution_log_supported: bool
    execution_logging: bool | None
    execution_log_level: str | None
    waf_supported: bool
    waf_acl: str | None
    unlisted: bool = False


@dataclass(frozen=True)
class ApiDomain:
    """A custom domain name in front of APIs and the lowest TLS version it accepts.

    `security_policy` is the policy's name as the cloud reports it; `min_tls_version`
    (``1.0``, ``1.2``, ``1.3``) is what that policy allows, `None` for a name the scanner
    does not know or a policy that was not reported.
    """

    KIND: ClassVar[str] = "api.domain"

    domain_name: str
    endpoint_types: tuple[str, ...]
    security_policy: str | None
    min_tls_version: str | None


@dataclass(frozen=True)
class SearchDomain:
    """A managed search and analytics cluster (OpenSearch or Elasticsearch).

    `https_enforced` is whether plain-HTTP requests are refused; `min_tls_version` comes
    from its TLS security policy (`tls_policy`). `in_vpc` is whether its endpoint lives
    only inside a private network. `public_policy_statements` are the access-policy
    statements open to anyone (empty when none, `None` when unreadable).
    `audit_logs_enabled` is whether audit logs are published to a log service
    (`audit_log_destination`).
    """

    KIND: ClassVar[str] = "search.domain"

    engine_version: str | None
    encrypted_at_rest: bool | None
    kms_key_id: str | None
    node_to_node_encryption: bool | None
    https_enforced: bool | None
    tls_policy: str | None
    min_tls_version: str | None
    in_vpc: bool | None
    has_access_policy: bool | None
    public_policy_statements: tuple[str, ...] | None
    audit_logs_enabled: bool | None
    audit_log_destination: str | None


@dataclass(frozen=True)
class CacheCluster:
    """An in-memory data store (a Redis/Valkey replication group or cluster, Memcached...).

    `auth_mode` is how clients must authenticate: ``token`` (a shared AUTH password),
    ``rbac`` (users and access lists) or ``none``. `persistent` is false for an engine that
    keeps nothing it could snapshot (Memcached); `backup_retention_days` is how many days
    of automatic snapshots are kept (0: none). `at_rest_supported` is false for an engine
    that cannot encrypt its data at rest (node-based Memcached).
    """

    KIND: ClassVar[str] = "cache.cluster"

    engine: str | None
    engine_version: str | None
    encrypted_in_transit: bool | None
    transit_encryption_mode: str | None
    encrypted_at_rest: bool | None
    at_rest_supported: bool
    kms_key_id: str | None
    auth_mode: str | None
    persistent: bool
    backup_retention_days: int | None


@dataclass(frozen=True)
class MlNotebook:
    """A hosted machine-learning notebook instance (SageMaker and equivalents).

    `kms_key_id` encrypts its storage volume (`None` when no customer key is set or it
    could not be read: `described` says which). `direct_internet_access` is whether it
    reaches the internet outside the customer's network; `root_access` whether its users
    can become root.
    """

    KIND: ClassVar[str] = "ml.notebook"

    described: bool
    kms_key_id: str | None
    direct_internet_access: bool | None
    root_access: bool | None
    subnet_id: str | None


@dataclass(frozen=True)
class MlEndpointConfig:
    """How a hosted model endpoint is deployed; `kms_key_id` encrypts its instance storage.

    `described` is false when the configuration could not be read (its key is then unknown).
    """

    KIND: ClassVar[str] = "ml.endpoint_config"

    described: bool
    kms_key_id: str | None
