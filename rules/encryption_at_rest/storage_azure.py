"""Encryption at rest for Azure storage accounts: infrastructure (double) encryption."""

from __future__ import annotations

from typing import Any

from rules.encryption_in_transit.storage_azure import STORAGE_ACCOUNT
from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EAR-AZSTORAGE-01",
    title="Storage account uses infrastructure (double) encryption",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=[Bucket.KIND],
    providers=["azure"],
    native_types=[STORAGE_ACCOUNT],
    precision="high",
    remediation={
        "azure": ProviderFix(
            console="Infrastructure encryption can only be chosen when an account is created: "
            "create a new storage account with Encryption > Enable infrastructure "
            "encryption, and move the data to it.",
            cli="az storage account create --name NEWACCOUNT --resource-group GROUP "
            "--require-infrastructure-encryption true --min-tls-version TLS1_2",
            terraform='resource "azurerm_storage_account" "phi" {\n'
            "  # ...\n  infrastructure_encryption_enabled = true\n}",
            docs_url="https://learn.microsoft.com/azure/storage/common/"
            "infrastructure-encryption-enable",
        )
    },
)
def storage_infrastructure_encryption(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A second layer of AES-256 at the infrastructure level guards against one key leaking.

    Azure always encrypts storage at rest once; infrastructure encryption adds a second,
    independently keyed layer (defence in depth, hence the low severity).
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    if detail.infrastructure_encryption is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its encryption settings could not be read.")
    if detail.infrastructure_encryption:
        return Verdict.passed(
            f"Storage account {resource.name} encrypts twice (service and infrastructure).",
            infrastructure_encryption=True)
    return Verdict.fail(
        f"Storage account {resource.name} has one layer of encryption at rest only.",
        infrastructure_encryption=False)
