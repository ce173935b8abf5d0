"""The rule catalog (`hipaa-scan rules`): text, JSON and markdown."""

from __future__ import annotations

import json

import jsonschema
import pytest

from scanner.output import CATALOG_FORMATS, render_catalog
from scanner.schemas import REPORT_SCHEMA, load_schema
from tests.core.sample import BAA, RULES

METAS = [r.meta for r in RULES]


def test_text_lists_every_rule_with_citations_providers_and_params() -> None:
    text = render_catalog(list(reversed(METAS)), [BAA], "text")
    lines = text.splitlines()
    assert lines[0] == "hipaa-scan 0.1.0: 5 rules, 1 manual attestation"
    rule_lines = [line.split()[0] for line in lines[2:] if line and not line.startswith(" ")]
    assert rule_lines[:5] == ["EAR-BKT-01", "EAR-VOL-01", "IAM-ROLE-01", "LOG-TRL-01", "PUB-BKT-01"]
    assert lines[2].split(None, 3) == [
        "EAR-BKT-01",
        "high",
        "encryption-at-rest",
        "Storage bucket encrypts data at rest by default",
    ]
    assert lines[3].strip() == (
        "HIPAA: 45 CFR 164.312(a)(2)(iv) Encryption and decryption (addressable)"
    )
    assert lines[4].strip() == (
        "providers: aws, azure, gcp; kinds: storage.bucket; PHI-scoped: yes"
    )
    assert "params: max_session_hours=1" in text
    assert "PHI-scoped: no (account-level)" in text
    assert (
        "HIPAA: 45 CFR 164.308(a)(1)(ii)(D) Information system activity review (required)" in text
    )
    tail = text[text.index("MANUAL ATTESTATIONS") :].splitlines()
    assert tail[1] == "AGR-BAA-01  agreements  Signed BAA with each cloud provider"
    assert tail[2].strip() == (
        "HIPAA: 45 CFR 164.308(b)(1) Business associate contracts and other arrangements (required)"
    )


def test_json_rules_match_the_report_schema_rule_definition() -> None:
    document = json.loads(render_catalog(METAS, [BAA], "json"))
    assert [r["id"] for r in document["rules"]] == sorted(m.id for m in METAS)
    definitions = load_schema(REPORT_SCHEMA)["definitions"]
    for name, items in (("rule", document["rules"]), ("attestation", document["attestations"])):
        schema = {"definitions": definitions, "$ref": f"#/definitions/{name}"}
        for item in items:
            jsonschema.Draft7Validator(schema).validate(item)
    iam = next(r for r in document["rules"] if r["id"] == "IAM-ROLE-01")
    assert iam["params"] == {"max_session_hours": 1}
    assert iam["hipaa"][0]["requirement"] == "required"
    assert document["tool"] == {"name": "hipaa-scan", "version": "0.1.0"}


def test_json_is_deterministic() -> None:
    assert render_catalog(METAS, [BAA], "json") == render_catalog(
        list(reversed(METAS)), [BAA], "json"
    )


def test_markdown_has_a_table_and_one_anchor_per_rule() -> None:
    markdown = render_catalog(METAS, [BAA], "markdown")
    lines = markdown.splitlines()
    assert lines[0] == "# hipaa-scan rules"
    assert (
        "| [EAR-BKT-01](#ear-bkt-01) | high | encryption-at-rest | Storage bucket encrypts "
        "data at rest by default | 164.312(a)(2)(iv) | aws, azure, gcp |"
    ) in lines
    # SARIF helpUri links to docs/rules.md#<lower-case id>: GitHub's anchor of "### <ID>".
    for meta in METAS:
        assert f"### {meta.id}" in lines
    assert "- HIPAA: 45 CFR 164.312(d) Person or entity authentication (required)" in lines
    assert "- Parameters: `max_session_hours=1`" in lines
    assert "```sh" in lines and "```hcl" in lines
    manual = markdown[markdown.index("## Manual attestations") :]
    assert "### AGR-BAA-01" in manual
    assert (
        "- HIPAA: 45 CFR 164.308(b)(1) Business associate contracts and other "
        "arrangements (required)" in manual
    )


def test_markdown_escapes_pipes_in_table_cells() -> None:
    import dataclasses

    meta = dataclasses.replace(METAS[0], title="Encrypt | or else")
    markdown = render_catalog([meta], [], "markdown")
    assert "| Encrypt \\| or else |" in markdown
    assert "None." in markdown


def test_every_format_renders_and_unknown_is_rejected() -> None:
    assert CATALOG_FORMATS == ("text", "json", "markdown")
    for fmt in CATALOG_FORMATS:
        assert render_catalog([], [], fmt).endswith("\n")
    with pytest.raises(ValueError, match="unknown catalog format 'html'"):
        render_catalog(METAS, [], "html")
