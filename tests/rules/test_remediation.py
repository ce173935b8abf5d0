"""Remediation is data: one TOML file per (rule, cloud), checked for presence, shape and HCL."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import hcl2
import pytest

from rules import load_remediation, load_rules, remediation_files
from scanner.model import Concern, Resource, Severity
from scanner.rule import (
    ProviderFix,
    RuleContext,
    RuleDefinitionError,
    Verdict,
    rule,
    with_remediation,
)

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules()
FIXES = load_remediation()
TERRAFORM = sorted(
    (rule_id, provider, fix.terraform)
    for (rule_id, provider), fix in FIXES.items()
    if fix.terraform
)


def test_every_claimed_cloud_has_a_file_and_no_file_is_an_orphan() -> None:
    claimed = {(r.id, p) for r in RULES for p in r.meta.providers}
    on_disk = {(rule_id, provider) for rule_id, provider, _ in remediation_files()}
    assert sorted(claimed - on_disk) == [], "rules without remediation"
    assert sorted(on_disk - claimed) == [], "remediation files no rule claims"


def test_loaded_rules_carry_exactly_their_files() -> None:
    for r in RULES:
        assert dict(r.meta.remediation) == {p: FIXES[r.id, p] for p in r.meta.providers}


def test_the_wheel_ships_every_remediation_file() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["rules"]
    shipped = {p for pattern in patterns for p in (ROOT / "rules").glob(pattern)}
    on_disk = set((ROOT / "rules" / "remediation").rglob("*"))
    assert {p for p in on_disk if p.is_file()} == shipped


def _check_fix(data: dict[str, object]) -> ProviderFix:
    return ProviderFix.from_mapping(data, "rules/remediation/aws/X-Y-01.toml")


def test_a_complete_file_becomes_a_fix() -> None:
    fix = _check_fix({"console": "c", "cli": "aws x", "docs_url": "https://d", "terraform": "t"})
    assert fix == ProviderFix(console="c", cli="aws x", terraform="t", docs_url="https://d")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"console": "c", "cli": "x", "docs_url": "u", "terrafrom": "t"},
            "X-Y-01.toml: unknown key(s) terrafrom",
        ),
        ({"console": "c", "docs_url": "u"}, "X-Y-01.toml: missing key(s) cli"),
        ({"console": "c", "cli": 3, "docs_url": "u"}, "X-Y-01.toml: key cli must be a string"),
        ({"console": " ", "cli": "x", "docs_url": "u"}, "X-Y-01.toml: key console is empty"),
    ],
)
def test_bad_or_missing_keys_are_errors(data: dict[str, object], error: str) -> None:
    with pytest.raises(RuleDefinitionError, match=error.replace("(", r"\(").replace(")", r"\)")):
        _check_fix(data)


def test_a_malformed_file_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "aws").mkdir()
    broken = tmp_path / "aws" / "EAR-TOY-01.toml"
    broken.write_text('console = "unterminated\n', encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"aws/EAR-TOY-01\.toml: not valid TOML"):
        load_remediation(tmp_path)
    broken.write_text(
        'console = "c"\ncli = "x"\ndocs_url = "u"\nterrafrom = "t"\n', encoding="utf-8"
    )
    with pytest.raises(RuleDefinitionError, match=r"EAR-TOY-01\.toml: unknown key\(s\) terrafrom"):
        load_remediation(tmp_path)


def test_files_are_found_per_cloud_folder(tmp_path: Path) -> None:
    for cloud in ("aws", "gcp"):
        (tmp_path / cloud).mkdir()
        (tmp_path / cloud / "EAR-TOY-01.toml").write_text(
            'console = "c"\ncli = "x"\ndocs_url = "u"\n', encoding="utf-8"
        )
    (tmp_path / "aws" / "notes.txt").write_text("not a fix", encoding="utf-8")
    assert sorted(load_remediation(tmp_path)) == [("EAR-TOY-01", "aws"), ("EAR-TOY-01", "gcp")]


@rule(
    id="EAR-TOY-01",
    title="Toy",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(),
    kinds=("test.toy",),
    providers=("aws",),
)
def toy(resource: Resource[object], ctx: RuleContext) -> Verdict:
    """A rule that only exists to receive remediation in these tests."""
    return Verdict.passed("ok")


def test_a_fix_never_switches_a_rule_on_for_another_cloud() -> None:
    fix = ProviderFix(console="c")
    with pytest.raises(RuleDefinitionError, match="claims aws but has remediation for aws, gcp"):
        with_remediation(toy, {"aws": fix, "gcp": fix})
    with pytest.raises(RuleDefinitionError, match="claims aws but has remediation for no cloud"):
        with_remediation(toy, {})
    assert with_remediation(toy, {"aws": fix}).meta.providers == {"aws"}


@pytest.mark.parametrize(
    ("rule_id", "provider", "terraform"), TERRAFORM, ids=[f"{p}/{i}" for i, p, _ in TERRAFORM]
)
def test_terraform_snippets_parse_as_hcl(rule_id: str, provider: str, terraform: str) -> None:
    parsed = hcl2.loads(terraform)
    assert parsed, f"{provider}/{rule_id}: the Terraform snippet holds no block"


def test_terraform_snippets_are_formatted(tmp_path: Path) -> None:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("no terraform binary on PATH; the snippets are still parsed as HCL above")
    for rule_id, provider, terraform in TERRAFORM:
        (tmp_path / f"{provider}-{rule_id}.tf").write_text(terraform + "\n", encoding="utf-8")
    config = tmp_path / "terraformrc"
    config.write_text("", encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"}
    result = subprocess.run(
        [binary, "fmt", "-check", "-diff", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
