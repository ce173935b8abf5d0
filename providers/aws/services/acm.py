"""ACM: TLS certificates, their expiry, and what serves them.

One paginated ``ListCertificates`` per region (with every key type: by default ACM lists
RSA 2048 certificates only) gives status, expiry and whether a certificate is in use. Only
for a certificate in use is ``DescribeCertificate`` called, once, for the ARNs of the load
balancers, distributions and APIs that serve it (``InUseBy``, which the list lacks).
Days to expiry are counted at collection time, so re-evaluating a snapshot is stable.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner.kinds.monitoring_edge import TlsCertificate
from scanner.model import Resource

NATIVE_TYPE = "AWS::CertificateManager::Certificate"
_KEY_TYPES = [
    "RSA_1024",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "EC_prime256v1",
    "EC_secp384r1",
    "EC_secp521r1",
]
_GONE = frozenset({"ResourceNotFoundException"})


def _now() -> datetime:
    """The collection clock (a function so tests can move it)."""
    return datetime.now(UTC)


@collector(
    "acm",
    fanout=Fanout.REGION,
    produces=(TlsCertificate.KIND,),
    calls={
        "acm.ListCertificates": "acm:ListCertificates",
        "acm.DescribeCertificate": "acm:DescribeCertificate",
    },
)
def certificates(task: AwsTask) -> Iterator[Resource[TlsCertificate]]:
    """Every certificate of the region with its expiry and users."""
    client = task.client("acm")
    listed = task.paginate(
        client, "list_certificates", "CertificateSummaryList", Includes={"keyTypes": _KEY_TYPES}
    )
    if listed is None:
        return
    now = _now()
    # A summary without an ARN (a malformed answer) names nothing that could be judged; it
    # is a gap, so the listing does not pass for complete.
    named = [s for s in listed if isinstance(s, Mapping) and s.get("CertificateArn")]
    if len(named) < len(listed):
        unnamed = len(listed) - len(named)
        task.gap("ListCertificates", "MalformedAnswer", f"{unnamed} certificate(s) without an ARN")
    yield from task.map(lambda summary: _certificate(task, client, summary, now), named)


def _certificate(
    task: AwsTask, client: Any, summary: Mapping[str, Any], now: datetime
) -> Resource[TlsCertificate]:
    arn = str(summary["CertificateArn"])
    in_use_by: tuple[str, ...] | None = ()
    if summary.get("InUse") is not False:
        described = task.call(
            client, "describe_certificate", resource_uid=arn, absent=_GONE, CertificateArn=arn
        )
        certificate = described.get("Certificate", {})
        in_use_by = (
            None
            if described.failed
            else tuple(sorted(str(u) for u in certificate.get("InUseBy") or ()))
        )
    return task.resource(
        uid=arn,
        kind=TlsCertificate.KIND,
        native_type=NATIVE_TYPE,
        name=str(summary.get("DomainName") or arn.rsplit("/", 1)[-1]),
        props=certificate_facts(summary, in_use_by, now),
    )


def certificate_facts(
    summary: Mapping[str, Any], in_use_by: tuple[str, ...] | None, now: datetime
) -> TlsCertificate:
    """A certificate's facts from its ListCertificates summary (and its users)."""
    not_after = summary.get("NotAfter")
    expiry = not_after if isinstance(not_after, datetime) else None
    return TlsCertificate(
        domain_name=str(summary.get("DomainName") or ""),
        status=str(summary.get("Status") or ""),
        certificate_type=str(summary.get("Type") or ""),
        not_after=expiry.astimezone(UTC).isoformat() if expiry else None,
        days_to_expiry=days_between(now, expiry) if expiry else None,
        in_use_by=in_use_by,
    )


def days_between(now: datetime, expiry: datetime) -> int:
    """Whole days left before `expiry` (rounded down; negative once it has passed)."""
    return math.floor((expiry - now).total_seconds() / 86400)
