"""What a rule is: declarative metadata, a verdict, and the `@rule` decorator.

A rule is one small function ``(resource, ctx) -> Verdict`` wrapped by `rule`, which returns
a `Rule` object. Nothing is registered globally: `rules.load_rules` finds the `Rule` objects
in the rule modules. Rules never perform I/O; `RuleContext` gives them read access to the
rest of the snapshot (for cross-resource checks) and to tunable parameters.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from scanner.model import Concern, Gap, JSONValue, Resource, Severity, Status


class Requirement(enum.StrEnum):
    """Whether a HIPAA implementation specification is required or addressable."""

    REQUIRED = "required"
    ADDRESSABLE = "addressable"


@dataclass(frozen=True)
class Citation:
    """One entry of the HIPAA Security Rule catalog (`rules.hipaa`)."""

    section: str
    title: str
    requirement: Requirement
    safeguard: str

    @property
    def cfr(self) -> str:
        """The full citation, e.g. ``45 CFR 164.312(a)(2)(iv)``."""
        return f"45 CFR {self.section}"


class RuleDefinitionError(ValueError):
    """A rule's data (its remediation file, its metadata) is missing or malformed."""


@dataclass(frozen=True)
class ProviderFix:
    """How to fix a failing resource on one cloud.

    Rules do not hold it in code: `rules.load_rules` reads it from one data file per rule
    and cloud and attaches it with `with_remediation`.
    """

    console: str
    cli: str = ""
    terraform: str = ""
    docs_url: str = ""

    REQUIRED: ClassVar[tuple[str, ...]] = ("console", "cli", "docs_url")
    OPTIONAL: ClassVar[tuple[str, ...]] = ("terraform",)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], source: str) -> ProviderFix:
        """A fix from a parsed data file; `source` names the file in every error.

        Every key must be known and hold a string, and the required ones must be there, so
        a typo in a file is an error when the rules load instead of an empty help text.
        """
        known = (*cls.REQUIRED, *cls.OPTIONAL)
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise RuleDefinitionError(
                f"{source}: unknown key(s) {', '.join(unknown)}; expected {', '.join(known)}"
            )
        missing = [key for key in cls.REQUIRED if key not in data]
        if missing:
            raise RuleDefinitionError(f"{source}: missing key(s) {', '.join(missing)}")
        values: dict[str, str] = {}
        for key, value in data.items():
            if not isinstance(value, str):
                raise RuleDefinitionError(
                    f"{source}: key {key} must be a string, not {type(value).__name__}"
                )
            values[key] = value
        if not values["console"].strip():
            raise RuleDefinitionError(f"{source}: key console is empty")
        return cls(**values)


@dataclass(frozen=True)
class Attestation:
    """A control no API can prove; it is reported as owed, never as PASS."""

    id: str
    title: str
    description: str
    concern: Concern
    citations: tuple[Citation, ...]
    providers: frozenset[str]


@dataclass(frozen=True)
class RuleMeta:
    """The declarative metadata of a rule; the same in every output."""

    id: str
    name: str
    title: str
    description: str
    severity: Severity
    concern: Concern
    citations: tuple[Citation, ...]
    kinds: tuple[str, ...]
    providers: frozenset[str]
    remediation: Mapping[str, ProviderFix] = field(default_factory=dict)
    phi_scoped: bool = True
    params: Mapping[str, JSONValue] = field(default_factory=dict)
    precision: str = "very-high"
    # (fact, value) pairs a resource's props must all match for the rule to judge it.
    where: tuple[tuple[str, JSONValue], ...] = ()
    # Former ids of this rule (renamed or merged into it); selections accept them.
    aliases: tuple[str, ...] = ()

    def selects(self, props: Any) -> bool:
        """Whether the rule judges a resource with these props (its `where` facts match).

        A fact named in `where` that the props lack is a rule bug, so it raises instead of
        silently skipping every resource (a meta-test checks the names against the kinds).
        """
        return all(getattr(props, name) == value for name, value in self.where)


@dataclass(frozen=True)
class Verdict:
    """A rule's answer for one resource, with the evidence values that decided it."""

    status: Status
    message: str
    evidence: Mapping[str, JSONValue] = field(default_factory=dict)
    applicable: bool = True

    @classmethod
    def passed(cls, message: str, **evidence: JSONValue) -> Verdict:
        """The resource meets the rule."""
        return cls(Status.PASS, message, evidence)

    @classmethod
    def fail(cls, message: str, **evidence: JSONValue) -> Verdict:
        """The resource violates the rule."""
        return cls(Status.FAIL, message, evidence)

    @classmethod
    def unknown(cls, message: str, **evidence: JSONValue) -> Verdict:
        """The facts the rule needs were not readable."""
        return cls(Status.UNKNOWN, message, evidence)

    @classmethod
    def not_applicable(cls, reason: str) -> Verdict:
        """The rule does not concern this resource (a role under a user-only rule...).

        The engine records no finding for it: "not applicable" is neither a pass nor a
        failure, and reporting it as PASS would overstate compliance.
        """
        return cls(Status.PASS, reason, applicable=False)


class RuleContext(Protocol):
    """Read-only access to the rest of the snapshot and to rule parameters."""

    def get(self, uid: str) -> Resource[Any] | None:
        """The resource with this uid, if the snapshot holds it."""

    def of_kind(self, kind: str, account: str | None = None) -> Sequence[Resource[Any]]:
        """Every resource of `kind` (optionally in one account), in uid order."""

    def named(self, kind: str, name: str) -> Sequence[Resource[Any]]:
        """Every resource of `kind` named `name` (in any account), in uid order.

        An index, not a scan: a rule that looks for "the bucket this trail writes to"
        with ``of_kind`` and a filter scans the whole estate once per trail.
        """

    def keyed(
        self, kind: str, key: Callable[[Resource[Any]], Hashable | None], value: Hashable
    ) -> Sequence[Resource[Any]]:
        """Every resource of `kind` (in any account) whose ``key(resource)`` is `value`.

        An index built once per (kind, key) on first use: `key` must be the same function
        on every call (a module-level function, not a lambda made per resource), and
        resources for which it returns None are left out.
        """

    def gaps(self, account: str, service: str, region: str | None = None) -> Sequence[Gap]:
        """The gaps recorded for a service in an account (and region, if given)."""

    def param(self, name: str) -> Any:
        """The value of one of the running rule's tunable parameters."""

    def in_phi_scope(self, resource: Resource[Any]) -> bool:
        """Whether `resource` carries one of the `--phi-tag` tags (always, without any)."""


Check = Callable[[Resource[Any], RuleContext], Verdict]


@dataclass(frozen=True)
class Rule:
    """A rule: its metadata and the pure function that judges one resource."""

    meta: RuleMeta
    check: Check

    @property
    def id(self) -> str:
        """The rule's stable id."""
        return self.meta.id


def with_remediation(found: Rule, fixes: Mapping[str, ProviderFix]) -> Rule:
    """`found` with its remediation attached, one fix per cloud it claims.

    A fix for a cloud the rule does not claim is an error, and so is a claimed cloud
    without one: remediation never decides where a rule runs.
    """
    claimed, given = found.meta.providers, frozenset(fixes)
    if claimed != given:
        raise RuleDefinitionError(
            f"rule {found.id} claims {', '.join(sorted(claimed)) or 'no cloud'} but has "
            f"remediation for {', '.join(sorted(given)) or 'no cloud'}"
        )
    meta = dataclasses.replace(found.meta, remediation=dict(fixes))
    return Rule(meta=meta, check=found.check)


def rule(
    *,
    id: str,
    title: str,
    severity: Severity,
    concern: Concern,
    citations: Sequence[Citation],
    kinds: Sequence[str],
    providers: Sequence[str],
    phi_scoped: bool = True,
    params: Mapping[str, JSONValue] | None = None,
    precision: str = "very-high",
    where: Mapping[str, JSONValue] | None = None,
) -> Callable[[Check], Rule]:
    """Wrap a check function into a `Rule`; its docstring becomes the description.

    `providers` names the clouds the rule runs on; it is explicit so that adding a cloud's
    remediation (a data file, see `rules.load_rules`) never switches a rule on for that
    cloud. `phi_scoped=False` marks an account-level rule that applies whatever `--phi-tag`
    says. `where` narrows a kind by facts, never by a cloud's native type names:
    ``where={"principal_type": "user"}`` judges the users among `iam.principal` resources.
    """

    def wrap(check: Check) -> Rule:
        description = " ".join((check.__doc__ or "").split())
        if not description:
            raise ValueError(f"rule {id} needs a docstring: it is the rule's description")
        meta = RuleMeta(
            id=id,
            name=check.__name__,
            title=title,
            description=description,
            severity=severity,
            concern=concern,
            citations=tuple(citations),
            kinds=tuple(kinds),
            providers=frozenset(providers),
            phi_scoped=phi_scoped,
            params=dict(params or {}),
            precision=precision,
            where=tuple(sorted((where or {}).items())),
        )
        return Rule(meta=meta, check=check)

    return wrap
