"""ML notebooks and model endpoints must encrypt their storage with a customer key."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.data_api import MlEndpointConfig, MlNotebook
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


def _judge_key(described: bool, key: str | None, subject: str, what: str) -> Verdict:
    if not described:
        return Verdict.unknown(f"{subject}: its settings could not be read.", kms_key_id=None)
    if key:
        return Verdict.passed(f"{subject} encrypts {what} with key {key}.", kms_key_id=key)
    return Verdict.fail(
        f"{subject} sets no customer-managed key for {what} (a provider-managed key is used).",
        kms_key_id=None,
    )


@rule(
    id="EAR-NOTEBOOK-01",
    title="ML notebook encrypts its storage with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(MlNotebook.KIND,),
    providers=("aws",),
)
def notebook_kms_key(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Notebook volumes keep the datasets analysts pull in, ePHI extracts included.

    A customer-managed key lets the organisation control, audit and revoke access to them.
    """
    del ctx
    props: MlNotebook = resource.props
    return _judge_key(
        props.described, props.kms_key_id, f"ML notebook {resource.name}", "its storage volume"
    )


@rule(
    id="EAR-MLENDPOINT-01",
    title="ML endpoint configuration encrypts instance storage with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(MlEndpointConfig.KIND,),
    providers=("aws",),
)
def endpoint_config_kms_key(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Model endpoints keep request payloads and model artefacts on their instance volumes.

    A customer-managed key lets the organisation control, audit and revoke access to them.
    """
    del ctx
    props: MlEndpointConfig = resource.props
    return _judge_key(
        props.described,
        props.kms_key_id,
        f"ML endpoint configuration {resource.name}",
        "its instances' storage",
    )
