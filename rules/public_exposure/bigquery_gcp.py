"""BigQuery only: datasets are not shared with everyone."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.gcp import BigQueryDataset
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-DATASET-01",
    title="BigQuery dataset is not shared with allUsers or allAuthenticatedUsers",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(BigQueryDataset.KIND,),
    providers=("gcp",),
)
def bigquery_dataset_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A public dataset lets anyone on the internet (or any Google account) query its tables."""
    del ctx
    public = resource.props.public_members
    name = f"Dataset {resource.name}"
    if public is None:
        return Verdict.unknown(
            f"{name}: its access entries could not be read.", public_members=None
        )
    if public:
        return Verdict.fail(
            f"{name} is shared with {', '.join(public)}.", public_members=list(public)
        )
    return Verdict.passed(f"{name} is not shared with the public.", public_members=[])
