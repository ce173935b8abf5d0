"""BigQuery only: PHI datasets default to a customer-managed key."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.gcp import BigQueryDataset
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-DATASET-01",
    title="PHI BigQuery dataset defaults to a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(BigQueryDataset.KIND,),
    providers=("gcp",),
    precision="high",
)
def bigquery_dataset_cmek(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A customer-managed key lets the covered entity control and revoke decryption of ePHI.

    The dataset default applies to new tables; a table created with its own key is not
    seen by this rule.
    """
    del ctx
    key = resource.props.kms_key_name
    name = f"Dataset {resource.name}"
    if key is None:
        return Verdict.unknown(
            f"{name}: its default encryption could not be read.", kms_key_name=None
        )
    if key:
        return Verdict.passed(f"{name} defaults to {key}.", kms_key_name=key)
    return Verdict.fail(f"{name} uses Google-managed keys by default.", kms_key_name="")
