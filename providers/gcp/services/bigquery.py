"""BigQuery: datasets (`gcp.bigquery_dataset`), who they are shared with, their default key.

The listing gives ids and labels only; one ``datasets.get`` per dataset (concurrently)
returns its access entries and default encryption configuration. Locations the listing
names ``unreachable`` are gaps, and the dataset rules say UNKNOWN there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.base import Fanout, collector
from providers.gcp.iam_facts import is_public
from providers.gcp.task import GcpTask
from scanner.kinds.gcp import BigQueryDataset
from scanner.model import Resource

DATASET_TYPE = "bigquery.googleapis.com/Dataset"
# Listing datasets needs no permission of its own: bigquery.datasets.get covers both.
CALLS = {
    "bigquery.datasets.list": "bigquery.datasets.get",
    "bigquery.datasets.get": "bigquery.datasets.get",
}


@collector("bigquery", fanout=Fanout.ACCOUNT, produces=(BigQueryDataset.KIND,), calls=CALLS)
def bigquery_datasets(task: GcpTask) -> Iterator[Resource[Any]]:
    """Every dataset of the project with its access entries and default key."""
    bq = task.service("bigquery", "v2")
    unreachable: list[str] = []
    listed = task.pages(
        lambda token: bq.datasets().list(projectId=task.project, pageToken=token),
        "datasets",
        on_page=lambda page: unreachable.extend(str(u) for u in page.get("unreachable") or []),
    )
    if listed is None:
        return
    for location in sorted(set(unreachable)):
        task.partial(
            "bigquery.datasets.list",
            "Unreachable",
            f"location {location} did not answer the listing",
            region=location.lower(),
            kinds=(BigQueryDataset.KIND,),
        )
    names = [str((d.get("datasetReference") or {}).get("datasetId", "")) for d in listed]
    details = task.map(lambda name: _get(task, bq, name), names)
    for item, name, detail in zip(listed, names, details, strict=True):
        labels = (detail or {}).get("labels") or item.get("labels") or {}
        yield task.resource(
            uid=dataset_uid(task.project, name),
            kind=BigQueryDataset.KIND,
            native_type=DATASET_TYPE,
            name=name,
            region=str(item.get("location") or (detail or {}).get("location") or "global").lower(),
            tags={str(k): str(v) for k, v in labels.items()},
            props=_facts(detail),
        )


def dataset_uid(project: str, name: str) -> str:
    """The full resource name of a dataset."""
    return f"//bigquery.googleapis.com/projects/{project}/datasets/{name}"


def _get(task: GcpTask, bq: Any, name: str) -> Mapping[str, Any] | None:
    fetched = task.execute(
        bq.datasets().get(projectId=task.project, datasetId=name),
        resource_uid=dataset_uid(task.project, name),
    )
    return fetched.response


def _facts(detail: Mapping[str, Any] | None) -> BigQueryDataset:
    if detail is None:
        return BigQueryDataset(public_members=None, kms_key_name=None)
    public = set()
    for entry in detail.get("access") or []:
        if not isinstance(entry, Mapping):
            continue
        # Public access appears as iamMember allUsers, or as specialGroup
        # allAuthenticatedUsers (the legacy spelling).
        member = str(entry.get("iamMember") or entry.get("specialGroup") or "")
        if is_public(member):
            public.add(f"{member}:{entry.get('role', '')}")
    key = (detail.get("defaultEncryptionConfiguration") or {}).get("kmsKeyName") or ""
    return BigQueryDataset(public_members=tuple(sorted(public)), kms_key_name=str(key))
