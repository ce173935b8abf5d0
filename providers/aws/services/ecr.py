"""ECR collector: private repositories, their policies, image scanning and encryption.

One DescribeRepositories and one GetRegistryScanningConfiguration per region; then per
repository GetRepositoryPolicy (``RepositoryPolicyNotFoundException``: no policy, a
definite answer) and ListTagsForResource. Whether pushed images are scanned depends on
both levels: with the registry on enhanced scanning the repository's own ``scanOnPush`` is
ignored and only the registry's rules (by repository-name filter) decide; with basic
scanning a registry rule scanning on push adds to the repository's own setting.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from typing import Any

from providers.aws.messaging_policy import public_policy
from providers.aws.task import AwsTask, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.workloads import ContainerRegistry
from scanner.model import Resource

NO_POLICY = frozenset({"RepositoryPolicyNotFoundException"})
# Registry rules that scan each image when it is pushed (continuous scanning does too).
_ON_PUSH = frozenset({"SCAN_ON_PUSH", "CONTINUOUS_SCAN"})


def registry_scans(
    registry: Mapping[str, Any], repository: str, own_scan_on_push: bool | None
) -> tuple[bool | None, str | None]:
    """(pushed images are scanned, by what) for `repository` under a registry configuration.

    `registry` is a GetRegistryScanningConfiguration ``scanningConfiguration``.
    """
    enhanced = str(registry.get("scanType", "BASIC")).upper() == "ENHANCED"
    covered = any(
        str(rule.get("scanFrequency", "")).upper() in _ON_PUSH
        and _filters_match(rule.get("repositoryFilters") or [], repository)
        for rule in registry.get("rules") or []
    )
    if enhanced:
        return covered, "registry-enhanced"
    if covered:
        return True, "registry-basic"
    return own_scan_on_push, None if own_scan_on_push is None else "repository"


def _filters_match(filters: Sequence[Mapping[str, Any]], repository: str) -> bool:
    # ECR's only filter type is WILDCARD, where "*" matches any run of characters.
    return any(
        fnmatch.fnmatchcase(repository, str(f.get("filter", "")).replace("[", "[[]"))
        for f in filters
    )


@collector(
    "ecr",
    fanout=Fanout.REGION,
    produces=(ContainerRegistry.KIND,),
    calls={
        "ecr.DescribeRepositories": "ecr:DescribeRepositories",
        "ecr.GetRegistryScanningConfiguration": "ecr:GetRegistryScanningConfiguration",
        "ecr.GetRepositoryPolicy": "ecr:GetRepositoryPolicy",
        "ecr.ListTagsForResource": "ecr:ListTagsForResource",
    },
)
def ecr_repositories(task: AwsTask) -> list[Resource[ContainerRegistry]]:
    """Every private ECR repository of the region."""
    ecr = task.client("ecr")
    listed = task.paginate(ecr, "describe_repositories", "repositories") or []
    if not listed:
        return []
    fetched = task.call(ecr, "get_registry_scanning_configuration")
    registry = fetched.get("scanningConfiguration", {}) if fetched.ok else None

    def build(item: Mapping[str, Any]) -> Resource[ContainerRegistry]:
        name = str(item["repositoryName"])
        uid = str(
            item.get("repositoryArn")
            or f"arn:{task.partition}:ecr:{task.region}:{task.account}:repository/{name}"
        )
        own = (item.get("imageScanningConfiguration") or {}).get("scanOnPush")
        own_flag = own if isinstance(own, bool) else None
        scanned, source = (
            (None, None) if registry is None else registry_scans(registry, name, own_flag)
        )
        encryption = item.get("encryptionConfiguration") or {}
        has_policy, public = _policy(task, ecr, uid, name)
        tags = fetched_tags(
            task.call(ecr, "list_tags_for_resource", resource_uid=uid, resourceArn=uid),
            lambda f: tag_dict(f.get("tags", [])),
        )
        props = ContainerRegistry(
            repository_name=name,
            scan_on_push=scanned,
            scan_source=source,
            encryption_type=encryption.get("encryptionType"),
            kms_key=encryption.get("kmsKey"),
            has_policy=has_policy,
            public_policy_statements=public,
        )
        return task.resource(
            uid=uid,
            kind=ContainerRegistry.KIND,
            native_type="AWS::ECR::Repository",
            name=name,
            tags=tags,
            props=props,
        )

    return task.map(build, listed)


def _policy(
    task: AwsTask, ecr: Any, uid: str, name: str
) -> tuple[bool | None, tuple[str, ...] | None]:
    fetched = task.call(
        ecr, "get_repository_policy", resource_uid=uid, absent=NO_POLICY, repositoryName=name
    )
    if fetched.absent:
        return False, ()
    if not fetched.ok:
        return None, None
    return public_policy(task, "GetRepositoryPolicy", uid, str(fetched.get("policyText", "")))
