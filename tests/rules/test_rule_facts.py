"""Rules judge facts: no native identifiers in rule code, neutral wording, `where` on facts."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from rules import load_rules
from scanner.kinds import fact_type
from scanner.rule import Rule

REPO = Path(__file__).resolve().parents[2]
RULE_MODULES = sorted((REPO / "rules").rglob("*.py"))
RULES = load_rules()

# AWS Config reports the resource types a recorder covers in AWS's own vocabulary, and the
# AWS-only LOG-CONFIG-01 compares them with its `required_resource_types` parameter; the
# default list stays in code until rule parameters are data like remediation.
NATIVE_TYPE_VOCABULARY = {REPO / "rules" / "audit_logging" / "configrecorder_aws.py"}

# Service names a rule every cloud can have must not use in its title or description.
SERVICE_NAMES = re.compile(
    r"\b(AWS|Amazon|S3|EBS|EFS|RDS|Aurora|DynamoDB|KMS|SQS|SNS|GuardDuty|CloudTrail|"
    r"CloudWatch|CloudFront|Redshift|ELB|ALB|NLB|Security groups?|VPCs?|Artifact|"
    r"Block Public Access|Multi-AZ|GCP|GCS|BigQuery|Cloud SQL|Azure|Blob|Cosmos)\b",
    re.IGNORECASE,
)


def _module_path(found: Rule) -> Path:
    return Path(inspect.getsourcefile(found.check) or "")


def _is_aws_only(found: Rule) -> bool:
    return _module_path(found).stem.endswith("_aws")


# Cloud-only rule modules are named `<subject>_<cloud>.py` and may name their cloud.
CLOUD_SUFFIXES = ("_aws", "_gcp", "_azure")


def _cloud_only(found: Rule) -> str | None:
    stem = _module_path(found).stem
    return next((s[1:] for s in CLOUD_SUFFIXES if stem.endswith(s)), None)


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_rule_module_names_native_types_or_builds_arns(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "arn:" not in text, f"{path} parses or builds ARNs"
    if path not in NATIVE_TYPE_VOCABULARY:
        assert "AWS::" not in text, f"{path} names native resource types"


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_rule_reads_gap_operation_names_or_native_types(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    read = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert read.isdisjoint({"operation", "native_type", "native_types"}), path


@pytest.mark.parametrize("found", [r for r in RULES if _cloud_only(r) is None], ids=lambda r: r.id)
def test_rules_every_cloud_can_have_name_no_cloud_service(found: Rule) -> None:
    for text in (found.meta.title, found.meta.description):
        assert SERVICE_NAMES.search(text) is None, f"{found.id}: {text}"


@pytest.mark.parametrize("found", [r for r in RULES if _is_aws_only(r)], ids=lambda r: r.id)
def test_rules_in_aws_files_claim_aws_only(found: Rule) -> None:
    assert found.meta.providers == {"aws"}


@pytest.mark.parametrize(
    "found", [r for r in RULES if _cloud_only(r) not in (None, "aws")], ids=lambda r: r.id
)
def test_rules_in_cloud_files_claim_that_cloud_only(found: Rule) -> None:
    assert found.meta.providers == {_cloud_only(found)}


def test_the_aws_only_rules_are_the_ones_expected() -> None:
    assert sorted(r.id for r in RULES if _is_aws_only(r)) == [
        "AGR-BAA-01",
        "BAK-BUCKET-04",
        "EAR-VOLDEFAULT-01",
        "IAM-INSTANCE-01",
        "IAM-INSTANCE-02",
        "IAM-PASSWORD-01",
        "IAM-PASSWORD-02",
        "IAM-PASSWORD-03",
        "IAM-PASSWORD-04",
        "IAM-POLICY-04",
        "IAM-ROOT-01",
        "IAM-ROOT-02",
        "IAM-ROOT-03",
        "LOG-ACCESSANALYSIS-01",
        "LOG-ALARM-01",
        "LOG-ALARM-02",
        "LOG-ALARM-03",
        "LOG-ALARM-04",
        "LOG-CONFIG-01",
        "LOG-DATAEVENTS-01",
        "LOG-SECURITYCENTER-01",
        "LOG-TRAIL-01",
        "LOG-TRAIL-02",
        "LOG-TRAIL-03",
        "LOG-TRAIL-04",
        "LOG-TRAIL-05",
        "LOG-TRAIL-06",
        "LOG-WEBACL-01",
        "PUB-ANALYTICSDEFAULT-01",
        "PUB-BUCKET-01",
        "PUB-BUCKETDEFAULT-01",
        "PUB-EXTACCESS-01",
        "PUB-FIREWALL-04",
        "PUB-LB-01",
    ]


@pytest.mark.parametrize("found", [r for r in RULES if r.meta.where], ids=lambda r: r.id)
def test_where_names_facts_of_every_kind_it_judges(found: Rule) -> None:
    for kind in found.meta.kinds:
        fields = {f.name for f in dataclasses.fields(fact_type(kind))}
        assert {name for name, _ in found.meta.where} <= fields, (found.id, kind)


def test_principal_rules_select_by_the_principal_type_fact() -> None:
    by_id = {r.id: r.meta for r in RULES}
    for rule_id in (
        "IAM-USER-01",
        "IAM-USER-02",
        "IAM-KEY-01",
        "IAM-KEY-02",
        "IAM-USER-04",
        "IAM-USER-05",
    ):
        assert by_id[rule_id].where == (("principal_type", "user"),)
    assert by_id["IAM-ROLE-01"].where == (("principal_type", "role"),)


# String literals of rules every cloud can have that still name AWS terms, each on purpose
# or left for a later change; any other literal naming a cloud service fails the test below.
KNOWN_AWS_TERMS = {
    # The bucket verdicts describe S3's own encryption modes and Block Public Access
    # switches; they move to neutral facts with the cloud-neutral bucket kind.
    (
        "rules/encryption_at_rest/bucket.py",
        "has no default encryption, so no customer-managed KMS key",
    ),
    ("rules/encryption_at_rest/bucket.py", "the AWS-managed key aws/s3"),
    ("rules/encryption_at_rest/bucket.py", "aws:kms"),
    ("rules/encryption_at_rest/bucket.py", "aws:kms:dsse"),
    ("rules/encryption_at_rest/bucket.py", "SSE-S3 (keys owned by AWS)"),
    ("rules/encryption_at_rest/bucket.py", ", not a customer-managed KMS key."),
    ("rules/encryption_at_rest/bucket.py", ": KMS key "),
    ("rules/encryption_at_rest/bucket.py", " is encrypted with customer-managed KMS key "),
    (
        "rules/encryption_at_rest/bucket.py",
        " has no encryption configuration of its own; the platform default (SSE-S3, AES256) applies.",  # noqa: E501
    ),
    (
        "rules/encryption_in_transit/bucket.py",
        "its policy has no Deny on aws:SecureTransport=false covering s3:* on the bucket and its "
        "objects",
    ),
    (
        "rules/public_exposure/bucket.py",
        "the Block Public Access settings that decide whether its public grants apply",
    ),
    (
        "rules/public_exposure/bucket.py",
        "the Block Public Access settings that decide whether its public statements apply could "
        "not be read",
    ),
    # The key kind's `key_manager` fact still holds AWS's value ("AWS" / "CUSTOMER").
    ("rules/encryption_at_rest/key.py", "AWS"),
    ("rules/encryption_at_rest/secret.py", "AWS"),
    # IAM-USER-02 recognises AWS's managed AdministratorAccess policy by its ARN suffix until
    # the principal kind carries an "administrator policy attached" fact.
    ("rules/access_control/iam_user.py", ":iam::aws:policy/AdministratorAccess"),
}


def _literals(path: Path) -> set[str]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def test_messages_of_rules_every_cloud_can_have_name_no_cloud_service() -> None:
    neutral = [
        p
        for p in RULE_MODULES
        if not p.stem.endswith(CLOUD_SUFFIXES)
        and p.name not in {"hipaa.py", "attestations.py", "aliases.py", "__init__.py"}
    ]
    found = {
        (str(p.relative_to(REPO)), text)
        for p in neutral
        for text in _literals(p)
        if text not in {"aws", "gcp", "azure"} and SERVICE_NAMES.search(text)
    }
    assert found == KNOWN_AWS_TERMS
