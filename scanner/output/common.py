"""Helpers every output format shares: orderings, citation wording, metadata as JSON.

Keeping these in one place means a rule reads the same in the text report, the JSON
report, the SARIF help text and the catalog.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from scanner.model import Finding, Gap, Scope, Severity
from scanner.redact import redact_url
from scanner.report import PhiScope
from scanner.rule import Attestation, Citation, ProviderFix, RuleMeta

SEVERITIES_DESC = tuple(sorted(Severity, reverse=True))
"""Severities from critical down to info: the order every output lists them in."""


def citation_text(citation: Citation) -> str:
    """``45 CFR 164.312(a)(2)(iv) Encryption and decryption (addressable)``."""
    return f"{citation.cfr} {citation.title} ({citation.requirement.value})"


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    """A citation as a JSON object."""
    return {
        "section": citation.section,
        "cfr": citation.cfr,
        "title": citation.title,
        "requirement": citation.requirement.value,
        "safeguard": citation.safeguard,
    }


def _attrs(obj: object, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def fix_to_dict(fix: ProviderFix) -> dict[str, Any]:
    """One provider's remediation as a JSON object."""
    return _attrs(fix, "console", "cli", "terraform", "docs_url")


def rule_to_dict(meta: RuleMeta) -> dict[str, Any]:
    """A rule's full metadata as a JSON object (JSON report and `rules --format json`)."""
    return {
        "id": meta.id,
        "name": meta.name,
        "title": meta.title,
        "description": meta.description,
        "severity": meta.severity.label,
        "concern": meta.concern.value,
        "hipaa": [citation_to_dict(c) for c in meta.citations],
        "kinds": list(meta.kinds),
        "providers": sorted(meta.providers),
        "remediation": {p: fix_to_dict(meta.remediation[p]) for p in sorted(meta.remediation)},
        "params": dict(meta.params),
        "phi_scoped": meta.phi_scoped,
        "precision": meta.precision,
    }


def attestation_to_dict(attestation: Attestation) -> dict[str, Any]:
    """A manual attestation as a JSON object."""
    return {
        "id": attestation.id,
        "title": attestation.title,
        "description": attestation.description,
        "concern": attestation.concern.value,
        "hipaa": [citation_to_dict(c) for c in attestation.citations],
        "providers": sorted(attestation.providers),
    }


def gap_to_dict(gap: Gap) -> dict[str, Any]:
    """A gap as a JSON object."""
    return _attrs(
        gap,
        "provider",
        "account",
        "region",
        "service",
        "operation",
        "error_code",
        "message",
        "resource_uid",
    )


def gap_cells(gap: Gap) -> tuple[str, str, str, str, str, str]:
    """A gap as the table cells the text and compliance reports show."""
    return (
        gap.provider,
        gap.account or "-",
        gap.region or "-",
        f"{gap.service}:{gap.operation}",
        gap.error_code,
        printable(gap.message),
    )


def scope_to_dict(scope: Scope) -> dict[str, Any]:
    """A scan scope as a JSON object, with any credentials stripped from the endpoint."""
    return {
        "provider": scope.provider,
        "accounts": sorted(scope.accounts),
        "regions": sorted(scope.regions),
        "profile": scope.profile,
        "endpoint_url": redact_url(scope.endpoint_url),
    }


def finding_order(finding: Finding) -> tuple[str, str, str, str]:
    """A total order on findings that does not depend on evaluation order."""
    return (finding.rule_id, finding.resource.uid, finding.status.value, finding.fingerprint)


def severity_order(finding: Finding) -> tuple[int, str, str, str]:
    """Most severe first, then rule id, then resource name and uid."""
    return (-int(finding.severity), finding.rule_id, finding.resource.name, finding.resource.uid)


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in the canonical (rule id, resource uid) order."""
    return sorted(findings, key=finding_order)


def sorted_scopes(scopes: Iterable[Scope]) -> list[Scope]:
    """Scopes ordered by provider, accounts and regions."""
    return sorted(scopes, key=lambda s: (s.provider, sorted(s.accounts), sorted(s.regions)))


def printable(text: str) -> str:
    """`text` on one line with control characters escaped.

    Resource names and cloud error messages are attacker-influenced: an embedded escape
    sequence must not reach a terminal or split a table row.
    """
    joined = " ".join(text.split())
    if joined.isascii() and joined.isprintable():
        # The common case, and exact: the only non-printable ASCII characters are controls.
        return joined
    out = []
    for char in joined:
        if unicodedata.category(char).startswith("C"):
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def terminal_safe(text: str) -> str:
    """`text` with every control character except newline escaped (C0, DEL, C1, bidi...).

    Unlike `printable` it keeps spacing and line breaks, so a whole rendered report can
    pass through it without losing its layout.
    """
    # Printable ASCII and newlines are never controls: only the other characters are
    # looked at, so a long report costs one regex scan rather than a test per character.
    return _MAYBE_CONTROL.sub(_escape_control, text)


_MAYBE_CONTROL = re.compile("[^\x20-\x7e\n]")


def _escape_control(match: re.Match[str]) -> str:
    char = match.group()
    if unicodedata.category(char).startswith("C"):
        return char.encode("unicode_escape").decode("ascii")
    return char


def params_text(params: Mapping[str, Any]) -> str:
    """``name=value, ...`` for a rule's tunable parameters, or ``-`` when it has none."""
    if not params:
        return "-"
    return ", ".join(f"{key}={json.dumps(params[key], sort_keys=True)}" for key in sorted(params))


def phi_scope_text(phi: PhiScope) -> str:
    """The PHI-scope counts as one line, naming those scoped in because tags were unreadable."""
    if not phi.tags:
        return f"PHI scope: all {phi.in_scope} data resources (no --phi-tag)"
    tags = ", ".join(printable(t) for t in sorted(phi.tags))
    unknown = (
        f" ({phi.unknown_tags} only because their tags could not be read)"
        if phi.unknown_tags
        else ""
    )
    text = f"PHI scope {tags}: {phi.in_scope} in scope{unknown}, {phi.out_of_scope} out of scope"
    # A tag that matches nothing leaves every resource-level rule judging nothing.
    return text if phi.in_scope else text + " - WARNING: no resource is in PHI scope"
