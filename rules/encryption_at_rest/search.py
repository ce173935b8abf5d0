"""Search domains must encrypt their indexes at rest."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag
from scanner.kinds.data_api import SearchDomain
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-SEARCH-01",
    title="Search domain is encrypted at rest",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(SearchDomain.KIND,),
    providers=("aws",),
)
def search_domain_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Search indexes copy the documents they index: ePHI in clinical notes, names, codes.

    Without encryption at rest, indexes, logs, swap files and automated snapshots sit
    readable on disk.
    """
    del ctx
    props: SearchDomain = resource.props
    subject = f"Search domain {resource.name}"
    return judge_flag(
        props.encrypted_at_rest,
        passed=f"{subject} is encrypted at rest.",
        failed=f"{subject} is not encrypted at rest.",
        unknown=f"{subject}: its encryption at rest could not be read.",
        evidence={"encrypted_at_rest": props.encrypted_at_rest, "kms_key_id": props.kms_key_id},
    )
