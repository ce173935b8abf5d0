"""Identity policies that let their holder decrypt with every AWS KMS key.

Judges `iam.policy` resources with the reading of `providers.aws.iam_analysis`
(`kms_decrypt_all_keys`): coverage of the actions and of the key ARNs, not spelling.
"""

from __future__ import annotations

from typing import Any

from rules.access_control.iam_policy import _judge_grants, _policy_rule
from rules.hipaa import (
    ACCESS_AUTHORIZATION,
    ENCRYPTION_AND_DECRYPTION,
    INFORMATION_ACCESS_MANAGEMENT,
)
from scanner.model import Resource, Severity
from scanner.rule import RuleContext, Verdict


@_policy_rule(
    id="IAM-POLICY-04",
    title="Identity policies do not allow decrypting with every KMS key",
    severity=Severity.MEDIUM,
    citations=(ACCESS_AUTHORIZATION, INFORMATION_ACCESS_MANAGEMENT, ENCRYPTION_AND_DECRYPTION),
    providers=("aws",),
)
def policy_grants_no_decrypt_on_all_keys(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Decrypt on every key undoes encryption at rest for whoever holds the policy.

    Encrypted ePHI is only as private as the keys: `kms:Decrypt` or `kms:ReEncryptFrom`
    on all keys (through `kms:*`, `*`, `kms:De*` or a `NotAction`) lets the holder read
    every encrypted store; decryption should be granted on the keys a role needs.
    """
    return _judge_grants(
        resource,
        resource.props.kms_decrypt_all_keys,
        "kms_decrypt_all_keys",
        lambda found: f"allows decrypting with every KMS key: {'; '.join(found)}.",
        "does not allow decrypting with every KMS key.",
    )
