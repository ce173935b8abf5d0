"""EMR block public access: the regional guardrail against clusters open to the internet."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.public_exposure.firewall import ADMIN_PORTS
from rules.support import judge_flag
from scanner.kinds.streams_analytics import EmrBlockPublicAccess
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-ANALYTICSDEFAULT-01",
    title="EMR block public access is on in the region",
    severity=Severity.MEDIUM,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(EmrBlockPublicAccess.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def emr_block_public_access_on(
    resource: Resource[EmrBlockPublicAccess], ctx: RuleContext
) -> Verdict:
    """With block public access on, EMR refuses clusters with security groups open to anyone.

    Only the ports listed as exceptions may stay open to the internet. The switch keeps a
    hurried cluster launch from putting ePHI on an internet-facing node.
    """
    del ctx
    props = resource.props
    evidence: dict[str, JSONValue] = {
        "block_public_security_group_rules": props.enabled,
        "port_exceptions": list(props.port_exceptions or ()),
    }
    where = f"EMR block public access in {resource.region}"
    if props.enabled:
        opened = _admin_ports_excepted(props.port_exceptions)
        if opened is None:
            return Verdict.unknown(
                f"{where} is on, but its port exceptions could not be read.", **evidence
            )
        if opened:
            # Judged by what the exceptions open, not by the switch alone: on, with
            # 0-65535 excepted, blocks nothing.
            return Verdict.fail(
                f"{where} is on, but its exceptions leave administrative port(s) "
                f"{', '.join(map(str, opened))} open to anyone.",
                **evidence,
            )
    return judge_flag(
        props.enabled,
        passed=f"{where} is on.",
        failed=f"{where} is off: clusters may start with security groups open to anyone.",
        unknown=f"{where}: the setting could not be read.",
        evidence=evidence,
    )


# Port 22 is EMR's own default exception (for SSH to the primary node); any other
# administrative port excepted opens every cluster of the region on it.
_JUDGED_PORTS = tuple(p for p in ADMIN_PORTS if p != 22)


def _admin_ports_excepted(exceptions: tuple[str, ...] | None) -> list[int] | None:
    """The judged administrative ports the exception ranges cover; None when unreadable."""
    if exceptions is None:
        return None
    spans = []
    for text in exceptions:
        low, _, high = text.partition("-")
        try:
            spans.append((int(low), int(high or low)))
        except ValueError:
            return None
    return [port for port in _JUDGED_PORTS if any(a <= port <= b for a, b in spans)]
