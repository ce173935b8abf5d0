"""TLS certificates must not be expired or about to expire."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY, TRANSMISSION_SECURITY
from scanner.kinds.monitoring_edge import TlsCertificate
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

# Statuses of a certificate that was never issued: it has no validity period to judge.
_NOT_ISSUED = frozenset({"PENDING_VALIDATION", "FAILED", "VALIDATION_TIMED_OUT"})
# Statuses of an issued certificate that no client should trust any more, whatever its
# expiry date says: a revoked one keeps its NotAfter.
_UNTRUSTED = frozenset({"REVOKED", "INACTIVE"})


@rule(
    id="EIT-CERT-01",
    title="TLS certificates are not expired or expiring soon",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_INTEGRITY, TRANSMISSION_ENCRYPTION),
    kinds=(TlsCertificate.KIND,),
    providers=("aws",),
    phi_scoped=False,
    params={"expiry_warning_days": 30},
)
def certificate_not_expiring(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An expired certificate breaks TLS, and users are trained to click through warnings.

    When a certificate lapses, clients either fail to connect or are pushed to accept an
    invalid one, which is how traffic carrying ePHI gets intercepted. A managed certificate
    close to expiry has failed its automatic renewal (usually DNS validation). Set
    `expiry_warning_days` to the notice you need.
    """
    props: TlsCertificate = resource.props
    warning = int(ctx.param("expiry_warning_days"))
    users = props.in_use_by
    evidence: dict[str, Any] = {
        "not_after": props.not_after,
        "days_to_expiry": props.days_to_expiry,
        "status": props.status,
        "in_use_by": None if users is None else list(users),
        "expiry_warning_days": warning,
    }
    used = (
        "in use by an unreadable set of resources"
        if users is None
        else f"in use by {', '.join(users)}"
        if users
        else "not in use"
    )
    subject = f"Certificate for {props.domain_name} ({used})"
    days = props.days_to_expiry
    if props.status in _UNTRUSTED:
        return Verdict.fail(f"{subject} is {props.status.lower()}.", **evidence)
    if props.status == "EXPIRED" or (days is not None and days < 0):
        return Verdict.fail(f"{subject} expired on {props.not_after}.", **evidence)
    if days is None:
        if props.status in _NOT_ISSUED:
            return Verdict.not_applicable(f"{subject} was never issued ({props.status}).")
        return Verdict.unknown(f"{subject}: its expiry date could not be read.", **evidence)
    if days <= warning:
        return Verdict.fail(
            f"{subject} expires in {days} day(s), on {props.not_after} (warning at {warning}).",
            **evidence,
        )
    return Verdict.passed(
        f"{subject} is valid for {days} more day(s), until {props.not_after}.", **evidence
    )
