"""The pure evaluation engine: snapshots and rules in, a `Report` out.

No I/O and no clock reads beyond what the caller passes: the same snapshots, rules and
configuration always give the same findings, which is what makes `hipaa-scan evaluate`
reproduce a live scan exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scanner.baseline import Baseline, compare
from scanner.model import (
    FINDING_ORDER,
    GLOBAL_REGION,
    Finding,
    Gap,
    JSONValue,
    Resource,
    ResourceRef,
    Scope,
    Snapshot,
    Status,
)
from scanner.report import PhiScope, Report, Review
from scanner.rule import Attestation, Rule, RuleMeta, Verdict
from scanner.shards import check_shards
from scanner.waivers import WaiverEntry, WaiverOutcome, apply_waivers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvaluationConfig:
    """What shapes an evaluation besides the snapshot.

    PHI scope, parameter overrides, waivers and a baseline. `today` decides which waivers
    have expired; it is passed in (never read from the clock) so evaluation stays
    reproducible, and it is required when waivers are given.
    """

    phi_tags: tuple[tuple[str, str], ...] = ()
    params: Mapping[str, Mapping[str, JSONValue]] = field(default_factory=dict)
    waivers: tuple[WaiverEntry, ...] = ()
    today: dt.date | None = None
    baseline: Baseline | None = None


def fingerprint(rule_id: str, resource_uid: str) -> str:
    """A stable identity for (rule, resource): independent of wording, order and time."""
    return hashlib.sha256(f"{rule_id}\0{resource_uid}".encode()).hexdigest()


class _Context:
    """The `RuleContext` the engine hands to rules; indexes built once per evaluation."""

    def __init__(
        self,
        resources: Sequence[Resource[Any]],
        gaps: Sequence[Gap],
        phi_tags: tuple[tuple[str, str], ...],
    ) -> None:
        self._by_uid = {r.uid: r for r in resources}
        self._by_kind: dict[str, list[Resource[Any]]] = defaultdict(list)
        # Cross-resource rules ask "the trails of this bucket's account" once per resource:
        # an index per (kind, account) keeps that O(1) instead of a scan of the whole kind.
        self._by_kind_account: dict[tuple[str, str], list[Resource[Any]]] = defaultdict(list)
        for resource in resources:
            self._by_kind[resource.kind].append(resource)
            self._by_kind_account[(resource.kind, resource.account)].append(resource)
        self._by_kind_name: dict[tuple[str, str], list[Resource[Any]]] | None = None
        self._by_kind_providers: dict[tuple[str, frozenset[str]], list[Resource[Any]]] = {}
        self._by_kind_key: dict[
            tuple[str, Callable[[Resource[Any]], Hashable | None]],
            dict[Hashable, list[Resource[Any]]],
        ] = {}
        self._gaps: dict[tuple[str, str], list[Gap]] = defaultdict(list)
        for gap in gaps:
            self._gaps[(gap.account, gap.service)].append(gap)
        self._phi_tags = phi_tags
        self.phi_scoped = bool(phi_tags)
        self.params: Mapping[str, JSONValue] = {}

    def get(self, uid: str) -> Resource[Any] | None:
        return self._by_uid.get(uid)

    def of_kind(self, kind: str, account: str | None = None) -> Sequence[Resource[Any]]:
        if account is None:
            return self._by_kind.get(kind, [])
        return self._by_kind_account.get((kind, account), [])

    def of_kind_on(self, kind: str, providers: frozenset[str]) -> Sequence[Resource[Any]]:
        """The resources of `kind` in one of `providers` (the engine's, not the rules')."""
        key = (kind, providers)
        found = self._by_kind_providers.get(key)
        if found is None:
            # Rules of one kind share their clouds: filtered once, not once per rule.
            found = self._by_kind_providers[key] = [
                r for r in self._by_kind.get(kind, ()) if r.provider in providers
            ]
        return found

    def named(self, kind: str, name: str) -> Sequence[Resource[Any]]:
        if self._by_kind_name is None:
            # Built on first use: most evaluations never look a resource up by name.
            self._by_kind_name = defaultdict(list)
            for resources in self._by_kind.values():
                for resource in resources:
                    self._by_kind_name[(resource.kind, resource.name)].append(resource)
        return self._by_kind_name.get((kind, name), [])

    def keyed(
        self, kind: str, key: Callable[[Resource[Any]], Hashable | None], value: Hashable
    ) -> Sequence[Resource[Any]]:
        index = self._by_kind_key.get((kind, key))
        if index is None:
            # Built on first use, once per (kind, key): a rule asks it once per resource.
            index = self._by_kind_key[(kind, key)] = defaultdict(list)
            for resource in self._by_kind.get(kind, ()):
                found = key(resource)
                if found is not None:
                    index[found].append(resource)
        return index.get(value, [])

    def gaps(self, account: str, service: str, region: str | None = None) -> Sequence[Gap]:
        found = self._gaps.get((account, service), [])
        return found if region is None else [g for g in found if g.region == region]

    def param(self, name: str) -> Any:
        return self.params[name]

    def in_phi_scope(self, resource: Resource[Any]) -> bool:
        if not self._phi_tags or resource.tags is None:
            # Unreadable tags fail closed: the resource might carry the PHI tag.
            return True
        return any(resource.tags.get(key) == value for key, value in self._phi_tags)


def merge_snapshots(snapshots: Sequence[Snapshot]) -> tuple[list[Resource[Any]], list[Gap]]:
    """All resources (a later snapshot wins on a repeated uid) and gaps, sorted."""
    by_uid: dict[str, Resource[Any]] = {}
    gaps: set[Gap] = set()
    for snapshot in snapshots:
        for resource in snapshot.resources:
            by_uid[resource.uid] = resource
        gaps.update(snapshot.gaps)
    gaps.update(check_shards(snapshots))
    return [by_uid[uid] for uid in sorted(by_uid)], sorted(gaps, key=Gap.sort_key)


def evaluate(
    snapshots: Sequence[Snapshot],
    rules: Sequence[Rule],
    config: EvaluationConfig = EvaluationConfig(),
    attestations: Sequence[Attestation] = (),
) -> Report:
    """Judge every resource with every rule that applies to it; return the full report."""
    resources, gaps = merge_snapshots(snapshots)
    ctx = _Context(resources, gaps, config.phi_tags)
    gaps_by_uid: dict[str, list[Gap]] = defaultdict(list)
    for gap in gaps:
        if gap.resource_uid:
            gaps_by_uid[gap.resource_uid].append(gap)

    ordered = sorted(rules, key=lambda r: r.id)
    findings: list[Finding] = []
    # One reference per resource, shared by every finding on it: a large estate has several
    # findings per resource, and a copy each would multiply the report's memory.
    refs: dict[str, ResourceRef] = {}
    for rule in ordered:
        ctx.params = {**rule.meta.params, **config.params.get(rule.id, {})}
        hipaa = tuple(c.section for c in rule.meta.citations)
        for resource in _targets(rule.meta, ctx):
            verdict = _judge(rule, resource, ctx)
            if not verdict.applicable:
                continue
            ref = refs.get(resource.uid)
            if ref is None:
                ref = refs[resource.uid] = ResourceRef.of(resource)
            findings.append(_finding(rule.meta, hipaa, ref, verdict, gaps_by_uid.get(resource.uid)))
        findings.extend(_unlisted(rule.meta, gaps))
    findings.sort(key=FINDING_ORDER)
    phi = _phi_scope(rules, resources, ctx, config)
    gaps = sorted([*gaps, *_empty_phi_scope(phi, snapshots)], key=Gap.sort_key)
    findings, review = _review(
        findings, config, ctx, gaps, [r.id for r in ordered], [s.scope for s in snapshots]
    )

    return Report(
        scopes=_scopes(snapshots),
        started_at=min((s.started_at for s in snapshots), default=""),
        finished_at=max((s.finished_at for s in snapshots), default=""),
        rules=tuple(r.meta for r in ordered),
        findings=tuple(findings),
        gaps=tuple(gaps),
        resource_count=len(resources),
        phi=phi,
        attestations=tuple(sorted(attestations, key=lambda a: a.id)),
        api_calls=sum(s.api_calls for s in snapshots),
        review=review,
    )


def _review(
    findings: list[Finding],
    config: EvaluationConfig,
    ctx: _Context,
    gaps: Sequence[Gap],
    rules_run: Sequence[str],
    scopes: Sequence[Scope],
) -> tuple[list[Finding], Review]:
    """Apply waivers, then compare with the baseline (both optional)."""
    outcomes: tuple[WaiverOutcome, ...] = ()
    if config.waivers:
        if config.today is None:
            raise ValueError("waivers need `today` to decide which have expired")

        def tags_of(uid: str) -> Mapping[str, str] | None:
            resource = ctx.get(uid)
            return None if resource is None else resource.tags

        findings, outcomes = apply_waivers(findings, config.waivers, config.today, tags_of)
    if config.baseline is None:
        return findings, Review(waivers=outcomes)
    complete = not gaps and not any(f.status is Status.ERROR for f in findings)
    comparison = compare(
        findings,
        config.baseline,
        complete=complete,
        rules_run=rules_run,
        coverage=_ScanCoverage(ctx, scopes),
    )
    return comparison.findings, Review(
        waivers=outcomes,
        baseline_source=config.baseline.source,
        fixed=comparison.fixed,
        not_rechecked=comparison.not_rechecked,
    )


class _ScanCoverage:
    """The baseline's view of what this evaluation read (see `baseline.Coverage`)."""

    def __init__(self, ctx: _Context, scopes: Sequence[Scope]) -> None:
        self._ctx = ctx
        self._areas = [(frozenset(s.accounts), frozenset(s.regions)) for s in scopes]

    def holds(self, uid: str) -> bool:
        return self._ctx.get(uid) is not None

    def looked_in(self, account: str, region: str) -> bool:
        # An account-wide resource ("global") is covered wherever its account was scanned.
        return any(
            account in accounts and (region == GLOBAL_REGION or region in regions)
            for accounts, regions in self._areas
        )


def _targets(meta: RuleMeta, ctx: _Context) -> Iterable[Resource[Any]]:
    # The checks that cannot exclude anything are skipped outright: this loop runs once
    # per (rule, resource) pair of the whole estate.
    narrowed = bool(meta.where)
    scoped = meta.phi_scoped and ctx.phi_scoped
    for kind in meta.kinds:
        candidates = ctx.of_kind_on(kind, meta.providers)
        if not narrowed and not scoped:
            yield from candidates
            continue
        for resource in candidates:
            if narrowed and not meta.selects(resource.props):
                continue
            if scoped and not ctx.in_phi_scope(resource):
                continue
            yield resource


def _judge(rule: Rule, resource: Resource[Any], ctx: _Context) -> Verdict:
    try:
        return rule.check(resource, ctx)
    except Exception as exc:  # a broken rule must not stop the scan; it becomes ERROR
        log.debug("rule %s raised on %s", rule.id, resource.uid, exc_info=True)
        return Verdict(Status.ERROR, f"rule {rule.id} raised {type(exc).__name__}: {exc}")


def _finding(
    meta: RuleMeta,
    hipaa: tuple[str, ...],
    ref: ResourceRef,
    verdict: Verdict,
    gaps: list[Gap] | None,
) -> Finding:
    # A verdict's evidence is built fresh for each verdict and never changed afterwards,
    # so the finding shares it; it is copied only when the gaps are added to it.
    evidence = verdict.evidence
    if verdict.status is Status.UNKNOWN and gaps:
        evidence = {**evidence, "gaps": [f"{g.service}:{g.operation} {g.error_code}" for g in gaps]}
    return Finding(
        rule_id=meta.id,
        status=verdict.status,
        severity=meta.severity,
        concern=meta.concern,
        hipaa=hipaa,
        resource=ref,
        message=verdict.message,
        evidence=evidence,
        fingerprint=fingerprint(meta.id, ref.uid),
    )


def scope_uid(provider: str, account: str, region: str, kind: str) -> str:
    """The uid of the scope resource a failed listing is reported on."""
    return f"{provider}/{account}/{region}/{kind}"


def _unlisted(meta: RuleMeta, gaps: Sequence[Gap]) -> list[Finding]:
    """One UNKNOWN per (scope, kind) this rule judges whose listing failed.

    Without it a denied listing would make the rule's findings vanish: the summary would
    count fewer resources and no failure, which reads exactly like a clean estate.
    """
    failed: dict[str, tuple[ResourceRef, list[Gap]]] = {}
    for gap in gaps:
        if gap.provider not in meta.providers:
            continue
        for kind in meta.kinds:
            if kind not in gap.kinds:
                continue
            uid = scope_uid(gap.provider, gap.account, gap.region, kind)
            ref = ResourceRef(
                uid=uid,
                name=uid,
                kind=kind,
                native_type="",
                provider=gap.provider,
                account=gap.account,
                region=gap.region,
            )
            failed.setdefault(uid, (ref, []))[1].append(gap)
    return [_scope_finding(meta, ref, found) for ref, found in failed.values()]


def _scope_finding(meta: RuleMeta, ref: ResourceRef, gaps: list[Gap]) -> Finding:
    calls = sorted({f"{g.service}:{g.operation} {g.error_code}" for g in gaps})
    return Finding(
        rule_id=meta.id,
        status=Status.UNKNOWN,
        severity=meta.severity,
        concern=meta.concern,
        hipaa=tuple(c.section for c in meta.citations),
        resource=ref,
        message=(
            f"could not list {ref.kind} in {ref.account or '-'} {ref.region or '-'} "
            f"({'; '.join(calls)}): resources there were not judged"
        ),
        evidence={"gaps": list(calls), "scope": True},
        fingerprint=fingerprint(meta.id, ref.uid),
    )


def _scopes(snapshots: Sequence[Snapshot]) -> tuple[Scope, ...]:
    # One scope per account, so a report over an organization (or several snapshots)
    # lists every account on its own, as its SARIF run does.
    unique: dict[tuple[str, str], Scope] = {}
    for snapshot in snapshots:
        scope = snapshot.scope
        for account in scope.accounts or ("",):
            key = (scope.provider, account)
            previous = unique.get(key)
            regions = tuple(sorted({*scope.regions, *(previous.regions if previous else ())}))
            unique[key] = dataclasses.replace(
                scope, accounts=(account,) if account else (), regions=regions
            )
    return tuple(unique[key] for key in sorted(unique))


def _empty_phi_scope(phi: PhiScope, snapshots: Sequence[Snapshot]) -> list[Gap]:
    """A gap per cloud when the PHI tags matched none of the data resources there were.

    A mistyped `--phi-tag` leaves every resource-level rule judging nothing: the report
    would read as clean. As a gap it reaches every output and makes the report incomplete.
    """
    if not phi.tags or phi.in_scope or not phi.out_of_scope:
        return []
    message = (
        f"0 of {phi.out_of_scope} data resources carry {' or '.join(phi.tags)}: "
        "resource-level rules judged nothing (check the --phi-tag key and value)"
    )
    return [
        Gap(
            provider=provider,
            account="",
            region=GLOBAL_REGION,
            service="scope",
            operation="phi-tag",
            error_code="NoResourceInPhiScope",
            message=message,
        )
        for provider in sorted({s.scope.provider for s in snapshots})
    ]


def _phi_scope(
    rules: Sequence[Rule],
    resources: Sequence[Resource[Any]],
    ctx: _Context,
    config: EvaluationConfig,
) -> PhiScope:
    data_kinds = {kind for r in rules if r.meta.phi_scoped for kind in r.meta.kinds}
    data_resources = [r for r in resources if r.kind in data_kinds]
    in_scope = sum(1 for r in data_resources if ctx.in_phi_scope(r))
    return PhiScope(
        tags=tuple(f"{k}={v}" for k, v in config.phi_tags),
        in_scope=in_scope,
        out_of_scope=len(data_resources) - in_scope,
        unknown_tags=sum(1 for r in data_resources if r.tags is None) if config.phi_tags else 0,
    )
