"""Public exposure of Azure storage accounts: anonymous blob access and network reach.

Anonymous access needs both the account switch (allowBlobPublicAccess) and a container
whose level is Blob or Container; the rule judges both and reports both facts.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner import netcoverage
from scanner.kinds.storage import Bucket
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-AZSTORAGE-01",
    title="Storage account allows no anonymous blob access",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[Bucket.KIND],
    providers=("azure",),
)
def storage_no_anonymous_access(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Anonymous read access to a container exposes every blob in it to the internet.

    A storage account is public when its allowBlobPublicAccess switch is on (or unset,
    which allows it on older accounts) and a container's access level is Blob or
    Container. With the switch off no container is public whatever its level, so the rule
    passes and still names such containers.
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    containers = props.public_acl_grants
    evidence: dict[str, JSONValue] = {
        "allow_blob_public_access": detail.allow_blob_public_access,
        "public_containers": None if containers is None else list(containers),
    }
    named = ", ".join(containers or ())
    if props.public is None:
        return Verdict.unknown(
            f"Storage account {resource.name} allows anonymous access, and its containers' "
            "access levels could not be read.",
            **evidence,
        )
    if props.public:
        return Verdict.fail(
            f"Storage account {resource.name} allows anonymous access and has public "
            f"containers: {named}.",
            **evidence,
        )
    if containers:
        return Verdict.passed(
            f"Storage account {resource.name} disallows anonymous access, so its public-level "
            f"containers ({named}) are not reachable anonymously.",
            **evidence,
        )
    return Verdict.passed(f"Storage account {resource.name} has no public container.", **evidence)


@rule(
    id="PUB-AZSTORAGE-02",
    title="Storage account is reachable from selected networks only",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[ACCESS_CONTROL],
    kinds=[Bucket.KIND],
    providers=("azure",),
)
def storage_network_restricted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A storage account whose firewall allows every network answers the whole internet.

    Passes when public network access is Disabled (private endpoints only) or the
    firewall's default action is Deny (only listed networks and addresses) and its IP
    rules do not add up to the internet (all of IPv4, or a public block wider than a
    /8): ``0.0.0.0/1`` plus ``128.0.0.0/1`` admit everyone whatever the default action
    says.
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    evidence: dict[str, JSONValue] = {
        "public_network_access": detail.public_network_access,
        "network_default_action": detail.network_default_action,
    }
    if (detail.public_network_access or "").lower() == "disabled":
        return Verdict.passed(
            f"Storage account {resource.name} has public network access disabled.", **evidence
        )
    if detail.network_default_action is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its network rules could not be read.", **evidence
        )
    if detail.network_default_action.lower() == "deny":
        return _ip_rules_verdict(resource, detail.network_ip_rules, evidence)
    return Verdict.fail(
        f"Storage account {resource.name} admits every network (default action "
        f"{detail.network_default_action}).",
        **evidence,
    )


def _ip_rules_verdict(
    resource: Resource[Any], ip_rules: tuple[str, ...] | None, evidence: dict[str, JSONValue]
) -> Verdict:
    """The verdict on a Deny firewall: its IP rules must not add up to the internet."""
    if ip_rules is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its firewall's IP rules could not be read.",
            ip_rules=None,
            **evidence,
        )
    if netcoverage.is_internet(ip_rules):
        return Verdict.fail(
            f"Storage account {resource.name} admits the internet through its IP rules "
            f"({', '.join(ip_rules)}) although its default action is Deny.",
            ip_rules=list(ip_rules),
            **evidence,
        )
    return Verdict.passed(
        f"Storage account {resource.name} admits selected networks only.", **evidence
    )
