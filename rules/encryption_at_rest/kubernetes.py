"""Kubernetes secrets must be envelope-encrypted with a key-management key."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag
from scanner.kinds.workloads import ContainerCluster
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-KUBERNETES-01",
    title="Kubernetes secrets are encrypted with a key-management key",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(ContainerCluster.KIND,),
    providers=("aws",),
)
def cluster_secrets_encrypted(resource: Resource[ContainerCluster], ctx: RuleContext) -> Verdict:
    """Kubernetes secrets hold the database passwords and keys workloads use to reach ePHI.

    Envelope encryption with a key-management key keeps them unreadable in the control plane's store
    and a key policy decides who may decrypt them.
    """
    del ctx
    props = resource.props
    subject = f"Kubernetes cluster {resource.name}"
    return judge_flag(
        props.secrets_encrypted,
        passed=f"{subject} encrypts secrets with key {props.secrets_kms_key}.",
        failed=f"{subject} does not envelope-encrypt its secrets with a key-management key.",
        unknown=f"{subject}: its encryption configuration could not be read.",
        evidence={"secrets_encrypted": props.secrets_encrypted, "kms_key": props.secrets_kms_key},
    )
