"""The rule catalog for `hipaa-scan rules --format text|json|markdown`.

Every rule with its id, title, severity, concern, HIPAA citations (section, title,
required/addressable), providers and parameters, then the manual attestations that no
API can prove. The markdown form is also the rule documentation page that SARIF
`helpUri` links point to: each rule is a ``### <RULE-ID>`` heading, whose GitHub anchor
is the lower-cased id.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from scanner import TOOL_NAME, __version__
from scanner.output.common import (
    attestation_to_dict,
    citation_text,
    params_text,
    rule_to_dict,
)
from scanner.rule import Attestation, RuleMeta

CATALOG_FORMATS = ("text", "json", "markdown")


def render_catalog(rules: Sequence[RuleMeta], attestations: Sequence[Attestation], fmt: str) -> str:
    """The catalog in `fmt` (one of `CATALOG_FORMATS`), ending in a newline."""
    ordered_rules = sorted(rules, key=lambda m: m.id)
    ordered_attestations = sorted(attestations, key=lambda a: a.id)
    if fmt == "json":
        return _json(ordered_rules, ordered_attestations)
    if fmt == "text":
        return _text(ordered_rules, ordered_attestations)
    if fmt == "markdown":
        return _markdown(ordered_rules, ordered_attestations)
    raise ValueError(f"unknown catalog format {fmt!r}; choose one of {', '.join(CATALOG_FORMATS)}")


def _json(rules: Sequence[RuleMeta], attestations: Sequence[Attestation]) -> str:
    document = {
        "tool": {"name": TOOL_NAME, "version": __version__},
        "rules": [rule_to_dict(m) for m in rules],
        "attestations": [attestation_to_dict(a) for a in attestations],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _text(rules: Sequence[RuleMeta], attestations: Sequence[Attestation]) -> str:
    lines = [f"{TOOL_NAME} {__version__}: {_count(rules, attestations)}", ""]
    id_width = max((len(m.id) for m in rules), default=0)
    for meta in rules:
        lines.append(
            f"{meta.id:<{id_width}}  {meta.severity.label:<8}  "
            f"{meta.concern.value:<21}  {meta.title}"
        )
        indent = " " * (id_width + 2)
        lines += [f"{indent}HIPAA: {citation_text(c)}" for c in meta.citations]
        lines.append(
            f"{indent}providers: {', '.join(sorted(meta.providers)) or '-'}; "
            f"kinds: {', '.join(meta.kinds) or '-'}; "
            f"PHI-scoped: {'yes' if meta.phi_scoped else 'no (account-level)'}"
        )
        lines.append(f"{indent}params: {params_text(meta.params)}")
    lines += ["", "MANUAL ATTESTATIONS (a person must confirm these; never reported as PASS)"]
    if not attestations:
        lines.append("  none")
    for attestation in attestations:
        lines.append(f"{attestation.id}  {attestation.concern.value}  {attestation.title}")
        lines += [f"    HIPAA: {citation_text(c)}" for c in attestation.citations]
        lines.append(f"    providers: {', '.join(sorted(attestation.providers)) or '-'}")
    return "\n".join(lines) + "\n"


def _markdown(rules: Sequence[RuleMeta], attestations: Sequence[Attestation]) -> str:
    lines = [
        f"# {TOOL_NAME} rules",
        "",
        f"{TOOL_NAME} {__version__}: {_count(rules, attestations)}, with their HIPAA Security "
        "Rule (45 CFR Part 164, Subpart C) citations.",
        "",
        "| Rule | Severity | Concern | Title | HIPAA | Providers |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for meta in rules:
        sections = ", ".join(c.section for c in meta.citations)
        lines.append(
            f"| [{meta.id}](#{meta.id.lower()}) | {meta.severity.label} | {meta.concern.value} "
            f"| {_cell(meta.title)} | {sections} | {', '.join(sorted(meta.providers))} |"
        )
    lines += ["", "## Rules"]
    for meta in rules:
        lines += ["", *_markdown_rule(meta)]
    lines += [
        "",
        "## Manual attestations",
        "",
        "Controls no cloud API can prove. They are reported as owed, never as PASS.",
    ]
    if not attestations:
        lines += ["", "None."]
    for attestation in attestations:
        lines += [
            "",
            f"### {attestation.id}",
            "",
            f"**{attestation.title}**",
            "",
            attestation.description,
            "",
            f"- Concern: {attestation.concern.value}",
            f"- Providers: {', '.join(sorted(attestation.providers)) or '-'}",
        ]
        lines += [f"- HIPAA: {citation_text(c)}" for c in attestation.citations]
    return "\n".join(lines) + "\n"


def _markdown_rule(meta: RuleMeta) -> list[str]:
    lines = [
        f"### {meta.id}",
        "",
        f"**{meta.title}**",
        "",
        meta.description,
        "",
        f"- Severity: {meta.severity.label}",
        f"- Concern: {meta.concern.value}",
        *(f"- HIPAA: {citation_text(c)}" for c in meta.citations),
        f"- Providers: {', '.join(sorted(meta.providers)) or '-'}",
        f"- Resource kinds: {', '.join(meta.kinds) or '-'}",
        f"- PHI-scoped: {'yes' if meta.phi_scoped else 'no (account-level)'}",
        f"- Parameters: {_code(params_text(meta.params)) if meta.params else '-'}",
    ]
    for provider in sorted(meta.remediation):
        fix = meta.remediation[provider]
        lines += ["", f"Remediation ({provider}): {fix.console}"]
        if fix.cli:
            lines += ["", "```sh", fix.cli, "```"]
        if fix.terraform:
            lines += ["", "```hcl", fix.terraform, "```"]
        if fix.docs_url:
            lines += ["", f"Documentation: <{fix.docs_url}>"]
    return lines


def _count(rules: Sequence[RuleMeta], attestations: Sequence[Attestation]) -> str:
    rule_noun = "rule" if len(rules) == 1 else "rules"
    attestation_noun = "attestation" if len(attestations) == 1 else "attestations"
    return f"{len(rules)} {rule_noun}, {len(attestations)} manual {attestation_noun}"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _code(text: str) -> str:
    return f"`{text}`"
