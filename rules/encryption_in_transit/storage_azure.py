"""Encryption in transit for Azure storage accounts: the minimum TLS version accepted."""

from __future__ import annotations

import re
from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

_VERSION = re.compile(r"(\d+)[._](\d+)")


def tls_version(value: str | None) -> tuple[int, int] | None:
    """``TLS1_2`` / ``Tls12`` / ``1.2`` as (1, 2); None for an unreadable or unknown value."""
    if value is None:
        return None
    text = value.strip()
    match = _VERSION.search(text)
    if match:
        return int(match.group(1)), int(match.group(2))
    compact = re.fullmatch(r"(?i)tls(\d)(\d)", text)
    return (int(compact.group(1)), int(compact.group(2))) if compact else None


@rule(
    id="EIT-AZSTORAGE-01",
    title="Storage account refuses TLS versions below 1.2",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=[TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY],
    kinds=[Bucket.KIND],
    providers=("azure",),
    params={"minimum": "1.2"},
)
def storage_minimum_tls(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """TLS 1.0 and 1.1 have known weaknesses; ePHI in transit needs TLS 1.2 or later.

    Judges the storage account's minimumTlsVersion (an unset value means TLS 1.0) against
    the parameter `minimum`.
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    wanted = tls_version(str(ctx.param("minimum"))) or (1, 2)
    found = tls_version(detail.minimum_tls_version)
    if found is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its minimum TLS version "
            f"({detail.minimum_tls_version}) could not be read or understood.",
            minimum_tls_version=detail.minimum_tls_version,
        )
    if found >= wanted:
        return Verdict.passed(
            f"Storage account {resource.name} accepts TLS {found[0]}.{found[1]} or later.",
            minimum_tls_version=detail.minimum_tls_version,
        )
    return Verdict.fail(
        f"Storage account {resource.name} accepts TLS {found[0]}.{found[1]} "
        f"(minimum wanted: {wanted[0]}.{wanted[1]}).",
        minimum_tls_version=detail.minimum_tls_version,
    )
