"""OpenSearch Service domains (OpenSearch and Elasticsearch engines alike).

One ListDomainNames per region, then DescribeDomains in batches of five (its limit): the
batch answer holds every fact judged here, so no domain is described on its own. Tags
are not in that answer: one ListTags per domain (for PHI scope).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from providers.aws.messaging_policy import statement_label
from providers.aws.policy import PolicyParseError, public_statements
from providers.aws.task import AwsTask, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.data_api import SearchDomain
from scanner.model import Resource

BATCH = 5
AUDIT_LOGS = "AUDIT_LOGS"


def search_tls_version(policy: str | None) -> str | None:
    """The lowest TLS version an OpenSearch TLS security policy accepts (None if unknown).

    ``Policy-Min-TLS-1-0-2019-07`` accepts TLS 1.0; every ``Policy-Min-TLS-1-2-*``
    (``-2019-07``, ``-PFS-2023-10``, ``-RFC9151-FIPS-2023-04``) only TLS 1.2 or later.
    """
    if not policy:
        return None
    for version in ("1-0", "1-1", "1-2", "1-3"):
        if policy.startswith(f"Policy-Min-TLS-{version}"):
            return version.replace("-", ".")
    return None


def _enabled(options: Any) -> bool | None:
    value = (options or {}).get("Enabled") if isinstance(options, Mapping) else None
    return value if isinstance(value, bool) else None


def _audit(status: Mapping[str, Any]) -> tuple[bool, str | None]:
    # DescribeDomains answered: a missing AUDIT_LOGS entry means audit logs are not published.
    audit = (status.get("LogPublishingOptions") or {}).get(AUDIT_LOGS) or {}
    group = audit.get("CloudWatchLogsLogGroupArn")
    if audit.get("Enabled") is True and group:
        return True, str(group)
    return False, None


def _in_vpc(options: Any) -> bool:
    # A VPC domain reports its VPC and subnets; a public one reports no VPCOptions at all.
    if not isinstance(options, Mapping):
        return False
    return bool(options.get("VPCId") or options.get("SubnetIds"))


def _batches(names: Sequence[str]) -> list[list[str]]:
    return [list(names[i : i + BATCH]) for i in range(0, len(names), BATCH)]


@collector(
    "opensearch",
    fanout=Fanout.REGION,
    produces=(SearchDomain.KIND,),
    calls={
        "opensearch.ListDomainNames": "es:ListDomainNames",
        "opensearch.DescribeDomains": "es:DescribeDomains",
        "opensearch.ListTags": "es:ListTags",
    },
)
def search_domains(task: AwsTask) -> Iterator[Resource[SearchDomain]]:
    """Every OpenSearch or Elasticsearch domain of the region."""
    client = task.client("opensearch")
    listed = task.call(client, "list_domain_names")
    names = sorted(str(d["DomainName"]) for d in listed.get("DomainNames", []))

    def describe(batch: list[str]) -> list[Mapping[str, Any]]:
        fetched = task.call(client, "describe_domains", DomainNames=batch)
        return list(fetched.get("DomainStatusList", []))

    statuses = [s for batch in task.map(describe, _batches(names)) for s in batch]
    yield from task.map(lambda s: _domain(task, client, s), statuses)


def _domain(task: AwsTask, client: Any, status: Mapping[str, Any]) -> Resource[SearchDomain]:
    name = str(status["DomainName"])
    uid = str(
        status.get("ARN") or f"arn:{task.partition}:es:{task.region}:{task.account}:domain/{name}"
    )
    tags = fetched_tags(
        task.call(client, "list_tags", resource_uid=uid, ARN=uid),
        lambda f: tag_dict(f.get("TagList", [])),
    )
    endpoint = status.get("DomainEndpointOptions") or {}
    https = endpoint.get("EnforceHTTPS")
    policy = endpoint.get("TLSSecurityPolicy")
    audit, destination = _audit(status)
    has_policy, public = _policy_facts(task, uid, status.get("AccessPolicies"))
    at_rest = status.get("EncryptionAtRestOptions") or {}
    return task.resource(
        uid=uid,
        kind=SearchDomain.KIND,
        native_type="AWS::OpenSearchService::Domain",
        name=name,
        tags=tags,
        props=SearchDomain(
            engine_version=status.get("EngineVersion"),
            encrypted_at_rest=_enabled(at_rest),
            kms_key_id=at_rest.get("KmsKeyId"),
            node_to_node_encryption=_enabled(status.get("NodeToNodeEncryptionOptions")),
            https_enforced=https if isinstance(https, bool) else None,
            tls_policy=None if policy is None else str(policy),
            min_tls_version=search_tls_version(policy),
            in_vpc=_in_vpc(status.get("VPCOptions")),
            has_access_policy=has_policy,
            public_policy_statements=public,
            audit_logs_enabled=audit,
            audit_log_destination=destination,
        ),
    )


def _policy_facts(
    task: AwsTask, uid: str, document: Any
) -> tuple[bool | None, tuple[str, ...] | None]:
    """(has a policy, the statements open to anyone); a malformed policy is a gap."""
    if document is None or not str(document).strip():
        return False, ()
    try:
        public = tuple(statement_label(s) for s in public_statements(str(document)))
    except PolicyParseError as exc:
        task.gap("DescribeDomains", "MalformedPolicy", str(exc), uid)
        return True, None
    return True, public
