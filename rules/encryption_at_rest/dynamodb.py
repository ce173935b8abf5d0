"""DynamoDB tables holding ePHI are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, ENCRYPTION_AND_DECRYPTION
from rules.support import key_state_failure
from scanner.kinds.nosql import Table, TableKeyType
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EAR-DYNAMODB-01",
    title="DynamoDB table is encrypted with a customer-managed KMS key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION, ACCESS_CONTROL),
    kinds=(Table.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "DynamoDB > Tables > select the table > Additional settings > Encryption "
                "> Manage encryption: 'Stored in your account, and owned and managed by "
                "you' and choose a customer-managed KMS key."
            ),
            cli=(
                "aws dynamodb update-table --table-name <table> --sse-specification "
                "Enabled=true,SSEType=KMS,KMSMasterKeyId=<customer-managed-key-arn>"
            ),
            terraform=(
                'resource "aws_dynamodb_table" "this" {\n  # ...\n'
                "  server_side_encryption {\n    enabled     = true\n"
                "    kms_key_arn = aws_kms_key.phi.arn\n  }\n}"
            ),
            docs_url=(
                "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
                "encryption.howitworks.html"
            ),
        )
    },
)
def dynamodb_customer_managed_key(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """DynamoDB always encrypts at rest, but an AWS-owned or AWS-managed key is not yours.

    With those keys the organisation cannot restrict, revoke or audit (in CloudTrail) who
    may decrypt ePHI; a customer-managed key puts that under its own key policy.
    """
    key_type = resource.props.key_type
    key_arn = resource.props.kms_key_arn
    if key_type is None:
        return Verdict.unknown(
            f"DynamoDB table {resource.name}: its encryption key could not be classified "
            "(table description or KMS aliases unreadable).",
            kms_key_arn=key_arn,
        )
    if key_type is not TableKeyType.CUSTOMER_MANAGED:
        return Verdict.fail(
            f"DynamoDB table {resource.name} is encrypted with an {key_type.value} key, not a "
            "customer-managed key.",
            key_type=key_type.value,
            kms_key_arn=key_arn,
        )
    unusable = key_state_failure(ctx, key_arn, f"DynamoDB table {resource.name}",
                                 key_type=key_type.value, kms_key_arn=key_arn)
    if unusable is not None:
        return unusable
    return Verdict.passed(
        f"DynamoDB table {resource.name} is encrypted with customer-managed key {key_arn}.",
        key_type=key_type.value,
        kms_key_arn=key_arn,
    )
