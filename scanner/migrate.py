"""Forward migrations of snapshot documents: an old snapshot is upgraded on load.

A snapshot written by an older hipaa-scan is re-evaluated by today's rules, so its JSON is
upgraded one version at a time before its facts are rebuilt. Each step is a pure function
of the document; `hipaa-scan evaluate` of a v1 snapshot gives the verdicts a v2 scan of
the same estate gives.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Document = dict[str, Any]

# Version 2 moved the kinds only AWS has under the `aws.` namespace; the neutral kinds
# keep their names.
KIND_RENAMES_V2 = {
    "monitoring.config_recorder": "aws.config_recorder",
    "compute.ebs_defaults": "aws.ebs_defaults",
    "storage.account_public_access": "aws.account_public_access",
    "iam.account": "aws.iam_account",
}


def _v1_to_v2(document: Document) -> Document:
    upgraded = copy.deepcopy(document)
    for resource in upgraded.get("resources", []):
        if isinstance(resource, dict):
            kind = resource.get("kind")
            resource["kind"] = KIND_RENAMES_V2.get(kind, kind) if isinstance(kind, str) else kind
            if kind == "network.firewall":
                _firewall_sources(resource.get("props"))
    upgraded["schema_version"] = 2
    return upgraded


def _firewall_sources(props: object) -> None:
    # Version 2 records every source that together opens a port range (a union of blocks
    # can be the internet); version 1 recorded one `/0` source per permission.
    if not isinstance(props, dict) or not isinstance(props.get("internet_ingress"), list):
        return
    for ingress in props["internet_ingress"]:
        if isinstance(ingress, dict) and "source" in ingress:
            source = ingress.pop("source")
            ingress["sources"] = [source] if isinstance(source, str) else source


# from-version -> the step that upgrades a document of that version by one.
MIGRATIONS: dict[int, Callable[[Document], Document]] = {1: _v1_to_v2}


def migrate(document: Document, version: int, target: int) -> Document:
    """`document` (of `version`) upgraded step by step to `target`."""
    while version < target:
        document = MIGRATIONS[version](document)
        version += 1
    return document
