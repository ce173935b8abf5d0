"""Elastic Load Balancing: ELBv2 (application / network) and classic load balancers.

Per region and per load balancer, each fact is read with one call:
* ELBv2: ``DescribeLoadBalancers`` (paged), then per load balancer ``DescribeListeners``
  and ``DescribeLoadBalancerAttributes`` (access logs and deletion protection in one
  answer); ``DescribeTags`` per batch of 20; and ONE ``DescribeSSLPolicies`` per region,
  for the policies the region's TLS listeners use.
* Classic: ``DescribeLoadBalancers`` (paged; listeners are included), then per load
  balancer ``DescribeLoadBalancerAttributes``, plus ``DescribeLoadBalancerPolicies`` only for
  a load balancer whose TLS listeners name a policy; ``DescribeTags`` per batch of 20.

Interpretation choices (pure helpers below, unit-tested):
* Listener protocol is checked first: emulators report an ``SslPolicy`` on HTTP listeners.
* An HTTP listener whose terminal default action redirects to HTTPS, or answers with a
  fixed response, does not forward plaintext by default; its rules are then read
  (``DescribeRules``, one call per such listener) and any rule that forwards makes it
  carry plaintext all the same. Listeners whose default already forwards need no rules.
  TCP/UDP listeners pass bytes through unchanged and are not judged plaintext:
  whether those bytes are encrypted is decided by the targets, which the scanner cannot see.
* A classic HTTPS/SSL listener with no SSL negotiation policy uses AWS's default policy,
  `providers.aws.tls_policies.DEFAULT_CLASSIC_POLICY`.
* Gateway load balancers are not collected: they forward IP packets transparently and
  have neither TLS listeners nor access logs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from providers.aws import tls_policies
from providers.aws.task import AwsTask, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.delivery import ClassicLoadBalancer, LoadBalancer, LoadBalancerListener
from scanner.model import Resource

ELBV2_CALLS = {
    "elbv2.DescribeLoadBalancers": "elasticloadbalancing:DescribeLoadBalancers",
    "elbv2.DescribeListeners": "elasticloadbalancing:DescribeListeners",
    "elbv2.DescribeLoadBalancerAttributes": "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elbv2.DescribeTags": "elasticloadbalancing:DescribeTags",
    "elbv2.DescribeSSLPolicies": "elasticloadbalancing:DescribeSSLPolicies",
    "elbv2.DescribeRules": "elasticloadbalancing:DescribeRules",
}
CLASSIC_CALLS = {
    "elb.DescribeLoadBalancers": "elasticloadbalancing:DescribeLoadBalancers",
    "elb.DescribeLoadBalancerAttributes": "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elb.DescribeLoadBalancerPolicies": "elasticloadbalancing:DescribeLoadBalancerPolicies",
    "elb.DescribeTags": "elasticloadbalancing:DescribeTags",
}

_V2_TYPES = ("application", "network")
_V2_ENCRYPTED = frozenset({"HTTPS", "TLS"})
_CLASSIC_ENCRYPTED = frozenset({"HTTPS", "SSL"})
_TAG_BATCH = 20
_SSL_NEGOTIATION = "SSLNegotiationPolicyType"
_REFERENCE = "Reference-Security-Policy"

PolicyProtocols = Mapping[str, tuple[str, ...]]


@collector("elb", fanout=Fanout.REGION, produces=(LoadBalancer.KIND,), calls=ELBV2_CALLS)
def elbv2_load_balancers(task: AwsTask) -> Iterator[Resource[LoadBalancer]]:
    """Every application and network load balancer in the task's region."""
    client = task.client("elbv2")
    found = task.paginate(client, "describe_load_balancers", "LoadBalancers")
    lbs = [lb for lb in found or () if lb.get("Type") in _V2_TYPES]
    if not lbs:
        return
    arns = [str(lb["LoadBalancerArn"]) for lb in lbs]
    listeners = task.map(lambda arn: _v2_listeners(task, client, arn), arns)
    attributes = task.map(lambda arn: _v2_attributes(task, client, arn), arns)
    tags = _batched_tags(task, client, arns, "ResourceArns", "ResourceArn")
    policies = _v2_policies(task, client, listeners)
    rules = _v2_rules(task, client, listeners)
    for lb, raw_listeners, attrs in zip(lbs, listeners, attributes, strict=True):
        arn = str(lb["LoadBalancerArn"])
        props = LoadBalancer(
            lb_type=str(lb.get("Type")),
            scheme=str(lb.get("Scheme") or "internet-facing"),
            listeners=(
                None
                if raw_listeners is None
                else tuple(
                    interpret_v2_listener(item, policies, rules.get(str(item.get("ListenerArn"))))
                    for item in _by_port(raw_listeners)
                )
            ),
            access_logs_enabled=None if attrs is None else _flag(attrs, "access_logs.s3.enabled"),
            access_log_bucket=None if attrs is None else attrs.get("access_logs.s3.bucket") or None,
            deletion_protection=(
                None if attrs is None else _flag(attrs, "deletion_protection.enabled")
            ),
        )
        yield task.resource(
            uid=arn,
            kind=LoadBalancer.KIND,
            native_type="AWS::ElasticLoadBalancingV2::LoadBalancer",
            name=str(lb.get("LoadBalancerName") or arn.rsplit("/", 2)[-2]),
            props=props,
            tags=tags.get(arn),
        )


def _v2_listeners(task: AwsTask, client: Any, arn: str) -> list[Mapping[str, Any]] | None:
    return task.paginate(
        client, "describe_listeners", "Listeners", resource_uid=arn, LoadBalancerArn=arn
    )


def _needs_rules(listener: Mapping[str, Any]) -> bool:
    protocol = str(listener.get("Protocol") or "").upper()
    action = default_action(listener.get("DefaultActions") or [], protocol)
    return protocol == "HTTP" and not _forwards(action)


def _v2_rules(
    task: AwsTask, client: Any, listeners: Sequence[Sequence[Mapping[str, Any]] | None]
) -> dict[str, list[Mapping[str, Any]] | None]:
    """The rules of every plain-HTTP listener whose default action does not forward."""
    wanted = [
        str(item["ListenerArn"])
        for group in listeners
        if group
        for item in group
        if _needs_rules(item) and item.get("ListenerArn")
    ]
    found = task.map(
        lambda arn: task.paginate(
            client, "describe_rules", "Rules", resource_uid=arn, ListenerArn=arn
        ),
        wanted,
    )
    return dict(zip(wanted, found, strict=True))


def _v2_attributes(task: AwsTask, client: Any, arn: str) -> dict[str, str] | None:
    fetched = task.call(
        client, "describe_load_balancer_attributes", resource_uid=arn, LoadBalancerArn=arn
    )
    if not fetched.ok:
        return None
    return {str(a.get("Key")): str(a.get("Value", "")) for a in fetched.get("Attributes", [])}


def _flag(attributes: Mapping[str, str], key: str) -> bool:
    # AWS lists every attribute with its default; an emulator may leave a never-set
    # attribute out. The call answered, so a missing switch is the default: off.
    return attributes.get(key, "false").lower() == "true"


def _batched_tags(
    task: AwsTask, client: Any, ids: Sequence[str], param: str, id_key: str
) -> dict[str, dict[str, str]]:
    # Both ELB APIs take at most 20 load balancers per DescribeTags; `param` names them in
    # the request and `id_key` in each answer's TagDescriptions.
    tags: dict[str, dict[str, str]] = {}
    for start in range(0, len(ids), _TAG_BATCH):
        batch: dict[str, Any] = {param: list(ids[start : start + _TAG_BATCH])}
        fetched = task.call(client, "describe_tags", **batch)
        for description in fetched.get("TagDescriptions", []):
            tags[str(description.get(id_key))] = tag_dict(description.get("Tags"))
    return tags


def _v2_policies(
    task: AwsTask, client: Any, listeners: Sequence[Sequence[Mapping[str, Any]] | None]
) -> PolicyProtocols | None:
    """The protocols of every SSL policy the region's TLS listeners use: one call in all."""
    names = sorted(
        {
            str(item["SslPolicy"])
            for group in listeners
            if group
            for item in group
            if item.get("Protocol") in _V2_ENCRYPTED and item.get("SslPolicy")
        }
    )
    if not names:
        return {}
    found = task.paginate(client, "describe_ssl_policies", "SslPolicies", Names=names)
    return None if found is None else tls_policies.elbv2_policy_protocols(found)


def _by_port(listeners: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(
        listeners, key=lambda item: (int(item.get("Port") or 0), str(item.get("Protocol") or ""))
    )


def interpret_v2_listener(
    listener: Mapping[str, Any],
    policies: PolicyProtocols | None,
    rules: Sequence[Mapping[str, Any]] | None = (),
) -> LoadBalancerListener:
    """An ELBv2 listener as facts.

    `policies` maps SSL policy names to protocols (None: unread); `rules` are the
    listener's rules (``DescribeRules``; None: unread; the default rule is skipped, its
    action is the listener's default action).
    """
    protocol = str(listener.get("Protocol") or "").upper()
    action = default_action(listener.get("DefaultActions") or [], protocol)
    # Protocol first: an HTTP listener's SslPolicy (emulators report one) means nothing.
    if protocol not in _V2_ENCRYPTED:
        plain = _plain_listener(int(listener.get("Port") or 0), protocol, action)
        if protocol != "HTTP" or plain.forwards_plaintext:
            return plain
        if rules is None:
            return dataclasses.replace(plain, forwards_plaintext=None)
        actions = tuple(
            default_action(r.get("Actions") or [], protocol)
            for r in rules
            if not r.get("IsDefault")
        )
        return dataclasses.replace(
            plain, rule_actions=actions, forwards_plaintext=any(_forwards(a) for a in actions)
        )
    policy = str(listener.get("SslPolicy") or "") or None
    protocols = None if policies is None or policy is None else policies.get(policy)
    return LoadBalancerListener(
        port=int(listener.get("Port") or 0),
        protocol=protocol,
        default_action=action,
        forwards_plaintext=False,
        encrypted=True,
        ssl_policy=policy,
        tls_protocols=protocols,
        allows_legacy_tls=None if protocols is None else tls_policies.allows_legacy_tls(protocols),
    )


def default_action(actions: Sequence[Mapping[str, Any]], protocol: str) -> str:
    """The effect of a listener's default actions, named by the terminal (last) action."""
    if not actions:
        return "none"
    ordered = sorted(enumerate(actions), key=lambda pair: (pair[1].get("Order", 0), pair[0]))
    terminal = ordered[-1][1]
    kind = str(terminal.get("Type") or "")
    if kind == "redirect":
        target = str((terminal.get("RedirectConfig") or {}).get("Protocol") or "#{protocol}")
        # "#{protocol}" keeps the incoming protocol: HTTPS only if the listener is HTTPS.
        resolved = protocol if target == "#{protocol}" else target.upper()
        return "redirect-https" if resolved == "HTTPS" else "redirect"
    if kind.startswith("authenticate"):
        return "authenticate"
    return kind or "none"


def _forwards(action: str) -> bool:
    """True for an HTTP action that passes the request on (not a redirect to HTTPS/fixed)."""
    return action not in ("redirect-https", "fixed-response")


def _plain_listener(port: int, protocol: str, action: str) -> LoadBalancerListener:
    forwards = protocol == "HTTP" and _forwards(action)
    return LoadBalancerListener(
        port=port,
        protocol=protocol,
        default_action=action,
        forwards_plaintext=forwards,
        encrypted=False,
        ssl_policy=None,
        tls_protocols=(),
        allows_legacy_tls=False,
    )


@collector("elb", fanout=Fanout.REGION, produces=(ClassicLoadBalancer.KIND,), calls=CLASSIC_CALLS)
def classic_load_balancers(task: AwsTask) -> Iterator[Resource[ClassicLoadBalancer]]:
    """Every classic load balancer in the task's region."""
    client = task.client("elb")
    lbs = task.paginate(client, "describe_load_balancers", "LoadBalancerDescriptions")
    if not lbs:
        return
    names = [str(lb["LoadBalancerName"]) for lb in lbs]
    arns = {name: classic_arn(task, name) for name in names}
    attributes = task.map(lambda name: _classic_attributes(task, client, name, arns[name]), names)
    policies = task.map(lambda lb: _classic_policies(task, client, lb, arns), lbs)
    tags = _batched_tags(task, client, names, "LoadBalancerNames", "LoadBalancerName")
    for lb, attrs, policy_map in zip(lbs, attributes, policies, strict=True):
        name = str(lb["LoadBalancerName"])
        log = None if attrs is None else attrs.get("AccessLog") or {}
        descriptions = sorted(
            lb.get("ListenerDescriptions") or [],
            key=lambda d: int((d.get("Listener") or {}).get("LoadBalancerPort") or 0),
        )
        props = ClassicLoadBalancer(
            lb_type="classic",
            scheme=str(lb.get("Scheme") or "internet-facing"),
            listeners=tuple(interpret_classic_listener(d, policy_map) for d in descriptions),
            access_logs_enabled=None if log is None else bool(log.get("Enabled")),
            access_log_bucket=None if log is None else log.get("S3BucketName") or None,
        )
        yield task.resource(
            uid=arns[name],
            kind=ClassicLoadBalancer.KIND,
            native_type="AWS::ElasticLoadBalancing::LoadBalancer",
            name=name,
            props=props,
            tags=tags.get(name),
        )


def classic_arn(task: AwsTask, name: str) -> str:
    """The ARN AWS gives a classic load balancer (the API itself returns only the name)."""
    return (
        f"arn:{task.partition}:elasticloadbalancing:{task.region}:{task.account}:"
        f"loadbalancer/{name}"
    )


def _classic_attributes(
    task: AwsTask, client: Any, name: str, arn: str
) -> Mapping[str, Any] | None:
    fetched = task.call(
        client, "describe_load_balancer_attributes", resource_uid=arn, LoadBalancerName=name
    )
    return fetched.get("LoadBalancerAttributes", {}) if fetched.ok else None


def _classic_policies(
    task: AwsTask, client: Any, lb: Mapping[str, Any], arns: Mapping[str, str]
) -> Mapping[str, Mapping[str, Any]] | None:
    """The load balancer's policies by name; read only when a TLS listener names one."""
    named = any(
        str((d.get("Listener") or {}).get("Protocol") or "").upper() in _CLASSIC_ENCRYPTED
        and d.get("PolicyNames")
        for d in lb.get("ListenerDescriptions") or []
    )
    if not named:
        return {}
    name = str(lb["LoadBalancerName"])
    fetched = task.call(
        client, "describe_load_balancer_policies", resource_uid=arns[name], LoadBalancerName=name
    )
    if not fetched.ok:
        return None
    return {str(p.get("PolicyName")): p for p in fetched.get("PolicyDescriptions", [])}


def interpret_classic_listener(
    description: Mapping[str, Any], policies: Mapping[str, Mapping[str, Any]] | None
) -> LoadBalancerListener:
    """A classic listener as facts; `policies` is the load balancer's policies (None: unread)."""
    listener = description.get("Listener") or {}
    protocol = str(listener.get("Protocol") or "").upper()
    port = int(listener.get("LoadBalancerPort") or 0)
    # A classic listener cannot redirect or answer by itself: it always forwards.
    if protocol not in _CLASSIC_ENCRYPTED:
        return _plain_listener(port, protocol, "forward")
    policy, protocols = classic_listener_policy(
        [str(n) for n in description.get("PolicyNames") or []], policies
    )
    return LoadBalancerListener(
        port=port,
        protocol=protocol,
        default_action="forward",
        forwards_plaintext=False,
        encrypted=True,
        ssl_policy=policy,
        tls_protocols=protocols,
        allows_legacy_tls=None if protocols is None else tls_policies.allows_legacy_tls(protocols),
    )


def classic_listener_policy(
    names: Sequence[str], policies: Mapping[str, Mapping[str, Any]] | None
) -> tuple[str | None, tuple[str, ...] | None]:
    """The SSL negotiation policy of a classic TLS listener and its protocols.

    Returns the reference (predefined) policy name when there is one, else the policy's own
    name; protocols are None when they cannot be determined.
    """
    if not names:
        default = tls_policies.DEFAULT_CLASSIC_POLICY
        return default, tls_policies.classic_predefined_protocols(default)
    if policies is None:
        return names[0], None
    negotiation = [
        policies[n] for n in names if policies.get(n, {}).get("PolicyTypeName") == _SSL_NEGOTIATION
    ]
    if not negotiation:
        if any(n not in policies for n in names):
            return names[0], None
        # Only stickiness (or other non-TLS) policies are named: the AWS default applies.
        default = tls_policies.DEFAULT_CLASSIC_POLICY
        return default, tls_policies.classic_predefined_protocols(default)
    attributes = list(negotiation[0].get("PolicyAttributeDescriptions") or [])
    reference = next(
        (str(a.get("AttributeValue")) for a in attributes if a.get("AttributeName") == _REFERENCE),
        None,
    )
    name = reference or str(negotiation[0].get("PolicyName"))
    return name, tls_policies.classic_policy_protocols(attributes)
