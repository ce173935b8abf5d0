"""Load balancers: no plaintext HTTP forwarding, and no TLS below 1.2 on TLS listeners.

Judges `network.load_balancer` (ELBv2) and `network.classic_load_balancer` (classic ELB);
the provider has already read each listener's protocol, default action and TLS policy.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY, TRANSMISSION_SECURITY
from scanner.kinds.delivery import ClassicLoadBalancer, LoadBalancer
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

_KINDS = (LoadBalancer.KIND, ClassicLoadBalancer.KIND)
_PASSTHROUGH = frozenset({"TCP", "UDP", "TCP_UDP"})


def _label(listener: Any) -> str:
    return f"{listener.protocol}:{listener.port}"


@rule(
    id="EIT-LB-01",
    title="Load balancer listeners do not forward plaintext HTTP",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=_KINDS,
    precision="high",
    providers=("aws",),
)
def load_balancer_no_plaintext_http(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A plain-HTTP listener that forwards requests carries ePHI unencrypted.

    HTTP listeners should only redirect to HTTPS. TCP/UDP pass-through listeners are listed
    as evidence but not judged: whether their traffic is encrypted is up to the targets.
    """
    listeners = resource.props.listeners
    if listeners is None:
        return Verdict.unknown(f"Load balancer {resource.name}: its listeners could not be read.")
    plaintext = [_label(item) for item in listeners if item.forwards_plaintext]
    doubtful = [_label(item) for item in listeners if item.forwards_plaintext is None]
    passthrough: JSONValue = [_label(item) for item in listeners if item.protocol in _PASSTHROUGH]
    actions: JSONValue = {
        _label(item): item.default_action for item in listeners if item.protocol == "HTTP"
    }
    rule_actions: JSONValue = {
        _label(item): list(item.rule_actions) for item in listeners if item.rule_actions
    }
    if plaintext:
        return Verdict.fail(
            f"Load balancer {resource.name} forwards plaintext HTTP on {', '.join(plaintext)}.",
            plaintext_listeners=list(plaintext),
            http_default_actions=actions,
            http_rule_actions=rule_actions,
        )
    if doubtful:
        return Verdict.unknown(
            f"Load balancer {resource.name}: the rules of HTTP listener(s) "
            f"{', '.join(doubtful)} could not be read (a rule may forward plaintext).",
            unread_rule_listeners=list(doubtful),
            http_default_actions=actions,
        )
    return Verdict.passed(
        f"Load balancer {resource.name} forwards no plaintext HTTP ({len(listeners)} listener(s)).",
        plaintext_listeners=[],
        http_default_actions=actions,
        passthrough_listeners=passthrough,
    )


@rule(
    id="EIT-LB-02",
    title="Load balancer TLS listeners refuse protocols older than TLS 1.2",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_INTEGRITY),
    kinds=_KINDS,
    providers=("aws",),
)
def load_balancer_tls_policy_modern(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """SSLv3, TLS 1.0 and TLS 1.1 are deprecated (NIST SP 800-52r2, RFC 8996).

    A listener that still accepts them lets a client or attacker negotiate a connection
    that no longer protects ePHI adequately.
    """
    listeners = resource.props.listeners
    if listeners is None:
        return Verdict.unknown(f"Load balancer {resource.name}: its listeners could not be read.")
    tls = [item for item in listeners if item.encrypted]
    policies: JSONValue = {_label(item): item.ssl_policy for item in tls}
    legacy = [item for item in tls if item.allows_legacy_tls]
    if legacy:
        return Verdict.fail(
            f"Load balancer {resource.name} accepts TLS below 1.2 on "
            f"{', '.join(_label(item) for item in legacy)}.",
            ssl_policies=policies,
            legacy_protocols={
                _label(item): [
                    p for p in item.tls_protocols or () if p not in ("TLSv1.2", "TLSv1.3")
                ]
                for item in legacy
            },
        )
    unread = [_label(item) for item in tls if item.allows_legacy_tls is None]
    if unread:
        return Verdict.unknown(
            f"Load balancer {resource.name}: the TLS policy protocols of {', '.join(unread)} "
            "could not be read.",
            ssl_policies=policies,
        )
    if not tls:
        # Nothing to judge is not a pass; plaintext listeners are EIT-LB-01's business.
        return Verdict.not_applicable(
            f"Load balancer {resource.name} has no TLS listeners, so no TLS policy to judge."
        )
    return Verdict.passed(
        f"Load balancer {resource.name} accepts only TLS 1.2 or later on its TLS listeners.",
        ssl_policies=policies,
    )
