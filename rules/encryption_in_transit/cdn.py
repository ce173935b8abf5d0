"""CDN distributions: HTTPS for viewers, TLS 1.2+ for viewers, HTTPS to origins.

Judges `network.cdn_distribution` (CloudFront); the provider has already resolved each
origin's effective protocol and the effective minimum viewer protocol.
"""

from __future__ import annotations

import re
from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY, TRANSMISSION_SECURITY
from scanner.kinds.delivery import CdnDistribution
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

_VERSION = re.compile(r"^(SSL|TLS)v(\d+)(?:\.(\d+))?(?:_(\d{4}))?$")


def protocol_rank(version: str) -> tuple[int, int, int] | None:
    """Order CloudFront security policy names: ``TLSv1.2_2021`` -> (1, 2, 2021); SSL < TLS."""
    match = _VERSION.match(version.strip())
    if not match:
        return None
    family, major, minor, year = match.groups()
    if family == "SSL":
        return (0, int(major), int(year or 0))
    return (int(major), int(minor or 0), int(year or 0))


@rule(
    id="EIT-CDN-01",
    title="CDN distribution never serves viewers over plain HTTP",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(CdnDistribution.KIND,),
    providers=("aws",),
)
def cdn_viewer_https_required(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A cache behavior with the 'allow-all' viewer policy serves content over plain HTTP.

    That exposes ePHI and session tokens on the network; every behavior should redirect
    HTTP to HTTPS or accept HTTPS only.
    """
    behaviors = resource.props.cache_behaviors
    policies: JSONValue = {b.path_pattern: b.viewer_protocol_policy for b in behaviors}
    plain = [b.path_pattern for b in behaviors if b.viewer_protocol_policy == "allow-all"]
    if plain:
        return Verdict.fail(
            f"CDN distribution {resource.name} serves plain HTTP on path(s) {', '.join(plain)}.",
            viewer_protocol_policies=policies,
            allow_all_paths=list(plain),
        )
    return Verdict.passed(
        f"CDN distribution {resource.name} requires HTTPS on every cache behavior.",
        viewer_protocol_policies=policies,
    )


@rule(
    id="EIT-CDN-02",
    title="CDN distribution refuses viewer TLS below the minimum security policy",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY),
    kinds=(CdnDistribution.KIND,),
    params={"minimum_protocol_version": "TLSv1.2_2021"},
    providers=("aws",),
)
def cdn_viewer_tls_minimum(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Viewers allowed TLS 1.0/1.1 (or older TLS 1.2 cipher sets) can be downgraded.

    Those protocols are no longer considered adequate for ePHI; the distribution's
    security policy should be TLSv1.2_2021 or later.
    """
    props = resource.props
    wanted = str(ctx.param("minimum_protocol_version"))
    evidence: dict[str, JSONValue] = {
        "minimum_protocol_version": props.minimum_protocol_version,
        "effective_minimum_protocol": props.effective_minimum_protocol,
        "default_certificate": props.default_certificate,
        "required": wanted,
    }
    actual_rank, wanted_rank = (
        protocol_rank(props.effective_minimum_protocol),
        protocol_rank(wanted),
    )
    if actual_rank is None or wanted_rank is None:
        return Verdict.unknown(
            f"CDN distribution {resource.name}: security policy "
            f"{props.effective_minimum_protocol!r} cannot be compared with {wanted!r}.",
            **evidence,
        )
    if actual_rank < wanted_rank:
        why = " (the CDN's default certificate)" if props.default_certificate else ""
        return Verdict.fail(
            f"CDN distribution {resource.name} accepts viewers from "
            f"{props.effective_minimum_protocol}{why}, below {wanted}.",
            **evidence,
        )
    return Verdict.passed(
        f"CDN distribution {resource.name} requires {props.effective_minimum_protocol} or "
        "later from viewers.",
        **evidence,
    )


@rule(
    id="EIT-CDN-03",
    title="CDN distribution reaches its origins over HTTPS",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(CdnDistribution.KIND,),
    providers=("aws",),
)
def cdn_origin_https(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Between the CDN and the origin, ePHI crosses the public internet.

    An 'http-only' origin, or a 'match-viewer' (or bucket) origin reached from an HTTP
    behavior, sends it there unencrypted.
    """
    origins = resource.props.origins
    policies: JSONValue = {o.id: o.protocol_policy for o in origins}
    plain = [o.id for o in origins if o.sends_plaintext]
    if plain:
        return Verdict.fail(
            f"CDN distribution {resource.name} reaches origin(s) {', '.join(plain)} over "
            "plain HTTP.",
            origin_protocol_policies=policies,
            plaintext_origins=list(plain),
        )
    unknown = [o.id for o in origins if o.sends_plaintext is None]
    if unknown:
        return Verdict.unknown(
            f"CDN distribution {resource.name}: the origin protocol of {', '.join(unknown)} "
            "(private network origin) is not read by the scanner.",
            origin_protocol_policies=policies,
        )
    return Verdict.passed(
        f"CDN distribution {resource.name} reaches all {len(origins)} origin(s) over HTTPS.",
        origin_protocol_policies=policies,
    )
