"""A small synthetic estate and its `Report`, for the output-format tests.

The report comes from the real `scanner.engine.evaluate` with synthetic rules: the engine
never checks `props` types, so resources carry a tiny `Facts` object instead of a kind's
fact dataclass. Waivers are attached afterwards (the engine does not apply them).

The estate, by account:
* aws 111111111111: bucket ``phi-data`` (unencrypted and public: 2 FAIL), bucket
  ``archive`` (unencrypted but waived), bucket ``locked`` (policy unreadable: UNKNOWN, gap
  s3:GetBucketPolicy), roles ``app/admin`` and ``app:admin`` (names differ only in ``/``
  vs ``:``, both FAIL), a volume whose rule raises (ERROR), a trail (info FAIL).
* aws 222222222222: bucket ``clean`` (PASS everywhere): a run with no results.
* gcp ``phi-project``: bucket ``gcs-phi`` (FAIL encryption).
* azure subscription: storage account ``PhiStore`` (FAIL encryption).
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from dataclasses import dataclass
from typing import Any

from rules import hipaa
from scanner.engine import evaluate
from scanner.model import Concern, Gap, Resource, Scope, Severity, Snapshot, Status, Waiver
from scanner.report import Report, SnapshotFile
from scanner.rule import (
    Attestation,
    ProviderFix,
    Rule,
    RuleContext,
    Verdict,
    rule,
    with_remediation,
)

AWS_A = "111111111111"
AWS_B = "222222222222"
GCP_PROJECT = "phi-project"
AZ_SUB = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc"
STARTED = "2025-01-06T03:00:00Z"
FINISHED = "2025-01-06T03:02:00Z"


@dataclass(frozen=True)
class Facts:
    """The only facts the synthetic rules read; ``None`` means could not be read."""

    encrypted: bool | None = True
    public: bool | None = False
    mfa: bool | None = True


_FIX = {
    "aws": ProviderFix(
        console="S3 console > bucket > Properties > Default encryption > SSE-KMS.",
        cli="aws s3api put-bucket-encryption --bucket NAME --server-side-encryption-"
        'configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":'
        '{"SSEAlgorithm":"aws:kms"}}]}\'',
        terraform='resource "aws_s3_bucket_server_side_encryption_configuration" "x" {}',
        docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html",
    ),
    "gcp": ProviderFix(console="Cloud Storage > bucket > Configuration > Encryption > CMEK."),
    "azure": ProviderFix(console="Storage account > Encryption > Customer-managed keys."),
}


@rule(
    id="EAR-BKT-01",
    title="Storage bucket encrypts data at rest by default",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[hipaa.ENCRYPTION_AND_DECRYPTION],
    kinds=["storage.bucket"],
    providers=["aws", "gcp", "azure"],
)
def bucket_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Buckets that may hold ePHI must encrypt it at rest."""
    encrypted = resource.props.encrypted
    if encrypted is None:
        return Verdict.unknown(f"Bucket {resource.name}: encryption could not be read.")
    if encrypted:
        return Verdict.passed(f"Bucket {resource.name} is encrypted.", encrypted=True)
    return Verdict.fail(f"Bucket {resource.name} has no default encryption.", encrypted=False)


@rule(
    id="PUB-BKT-01",
    title="Storage bucket is not public",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=[hipaa.ACCESS_CONTROL],
    kinds=["storage.bucket"],
    providers=["aws"],
)
def bucket_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A public bucket exposes ePHI to anyone on the internet."""
    public = resource.props.public
    if public is None:
        return Verdict.unknown(f"Bucket {resource.name}: policy could not be read.")
    if public:
        return Verdict.fail(f"Bucket {resource.name} is public.", public=True)
    return Verdict.passed(f"Bucket {resource.name} is private.", public=False)


@rule(
    id="IAM-ROLE-01",
    title="Role requires MFA",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=[hipaa.PERSON_AUTHENTICATION],
    kinds=["iam.principal"],
    providers=["aws"],
    params={"max_session_hours": 1},
)
def role_requires_mfa(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Roles that reach ePHI should require MFA to assume."""
    if resource.props.mfa:
        return Verdict.passed(f"Role {resource.name} requires MFA.", mfa=True)
    return Verdict.fail(
        f"Role {resource.name} does not require MFA.",
        mfa=False,
        max_session_hours=ctx.param("max_session_hours"),
    )


@rule(
    id="EAR-VOL-01",
    title="Volume is encrypted",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[hipaa.ENCRYPTION_AND_DECRYPTION],
    kinds=["compute.volume"],
    providers=["aws"],
)
def volume_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A deliberately broken rule: it raises, so the engine records ERROR."""
    raise RuntimeError("boom")


@rule(
    id="LOG-TRL-01",
    title="Trail logs data events",
    severity=Severity.INFO,
    concern=Concern.AUDIT_LOGGING,
    citations=[hipaa.AUDIT_CONTROLS, hipaa.ACTIVITY_REVIEW],
    kinds=["logging.trail"],
    providers=["aws"],
    phi_scoped=False,
)
def trail_data_events(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Data events show who read ePHI objects."""
    return Verdict.fail(f"Trail {resource.name} does not log data events.", data_events=False)


_CONSOLES = {
    "IAM-ROLE-01": "IAM > Roles > Trust.",
    "EAR-VOL-01": "EC2 > Volumes.",
    "LOG-TRL-01": "CloudTrail > Trails.",
}


def _with_fixes(defined: Rule) -> Rule:
    """Attach remediation the way `rules.load_rules` does, from data instead of files."""
    if defined.id in _CONSOLES:
        return with_remediation(defined, {"aws": ProviderFix(console=_CONSOLES[defined.id])})
    return with_remediation(defined, {p: _FIX[p] for p in defined.meta.providers})


RULES: tuple[Rule, ...] = tuple(
    _with_fixes(r)
    for r in (
        bucket_encrypted,
        bucket_not_public,
        role_requires_mfa,
        volume_encrypted,
        trail_data_events,
    )
)

BAA = Attestation(
    id="AGR-BAA-01",
    title="Signed BAA with each cloud provider",
    description="A business associate agreement must be signed before ePHI is stored.",
    concern=Concern.AGREEMENTS,
    citations=(hipaa.BUSINESS_ASSOCIATE_CONTRACTS,),
    providers=frozenset({"aws", "gcp", "azure"}),
)


def _aws(
    account: str, region: str, native: str, kind: str, uid: str, name: str, facts: Facts
) -> Resource[Any]:
    return Resource(
        uid=uid,
        provider="aws",
        kind=kind,
        native_type=native,
        account=account,
        region=region,
        name=name,
        props=facts,
        tags={"data": "phi-secret-value"},
    )


def aws_resources() -> list[Resource[Any]]:
    """The AWS resources of both accounts."""
    s3 = "AWS::S3::Bucket"
    role = "AWS::IAM::Role"
    return [
        _aws(
            AWS_A,
            "us-east-1",
            s3,
            "storage.bucket",
            "arn:aws:s3:::phi-data",
            "phi-data",
            Facts(encrypted=False, public=True),
        ),
        _aws(
            AWS_A,
            "us-east-1",
            s3,
            "storage.bucket",
            "arn:aws:s3:::archive",
            "archive",
            Facts(encrypted=False),
        ),
        _aws(
            AWS_A,
            "eu-west-1",
            s3,
            "storage.bucket",
            "arn:aws:s3:::locked",
            "locked",
            Facts(public=None),
        ),
        _aws(
            AWS_A,
            "global",
            role,
            "iam.principal",
            f"arn:aws:iam::{AWS_A}:role/app/admin",
            "app/admin",
            Facts(mfa=False),
        ),
        _aws(
            AWS_A,
            "global",
            role,
            "iam.principal",
            f"arn:aws:iam::{AWS_A}:role/app:admin",
            "app:admin",
            Facts(mfa=False),
        ),
        _aws(
            AWS_A,
            "us-east-1",
            "AWS::EC2::Volume",
            "compute.volume",
            f"arn:aws:ec2:us-east-1:{AWS_A}:volume/vol-1",
            "vol-1",
            Facts(),
        ),
        _aws(
            AWS_A,
            "us-east-1",
            "AWS::CloudTrail::Trail",
            "logging.trail",
            f"arn:aws:cloudtrail:us-east-1:{AWS_A}:trail/main",
            "main",
            Facts(),
        ),
        _aws(AWS_B, "us-east-1", s3, "storage.bucket", "arn:aws:s3:::clean", "clean", Facts()),
    ]


def snapshots(
    started: str = STARTED, finished: str = FINISHED, shuffle_seed: int | None = None
) -> list[Snapshot]:
    """The three snapshots (aws, gcp, azure); `shuffle_seed` reorders their contents."""
    aws = aws_resources()
    gaps = [
        Gap(
            "aws",
            AWS_A,
            "eu-west-1",
            "s3",
            "GetBucketPolicy",
            "AccessDenied",
            "User is not authorized to perform s3:GetBucketPolicy",
            "arn:aws:s3:::locked",
        ),
        Gap(
            "aws",
            AWS_A,
            "ap-south-1",
            "ec2",
            "DescribeVolumes",
            "UnauthorizedOperation",
            "You are not authorized",
        ),
    ]
    gcp: list[Resource[Any]] = [
        Resource(
            uid="//storage.googleapis.com/projects/_/buckets/gcs-phi",
            provider="gcp",
            kind="storage.bucket",
            native_type="storage.googleapis.com/Bucket",
            account=GCP_PROJECT,
            region="us-central1",
            name="gcs-phi",
            props=Facts(encrypted=False),
            tags={},
        )
    ]
    azure_uid = (
        f"/subscriptions/{AZ_SUB}/resourceGroups/RG-Phi/providers/"
        "Microsoft.Storage/storageAccounts/PhiStore"
    )
    azure: list[Resource[Any]] = [
        Resource(
            uid=azure_uid,
            provider="azure",
            kind="storage.bucket",
            native_type="Microsoft.Storage/storageAccounts",
            account=AZ_SUB,
            region="eastus",
            name="PhiStore",
            props=Facts(encrypted=False),
            tags={},
        )
    ]
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        rng.shuffle(aws)
        rng.shuffle(gaps)
    return [
        Snapshot(
            "0.1.0",
            Scope("aws", (AWS_A, AWS_B), ("us-east-1", "eu-west-1"), "prod"),
            started,
            finished,
            tuple(aws),
            tuple(gaps),
            api_calls=40,
        ),
        Snapshot(
            "0.1.0",
            Scope("gcp", (GCP_PROJECT,), ("us-central1",)),
            started,
            finished,
            tuple(gcp),
            (),
            api_calls=3,
        ),
        Snapshot(
            "0.1.0",
            Scope("azure", (AZ_SUB,), ("eastus",)),
            started,
            finished,
            tuple(azure),
            (),
            api_calls=2,
        ),
    ]


SNAPSHOT_FILE = SnapshotFile("estate.json", hashlib.sha256(b"estate").hexdigest())
"""The file the sample report is said to be computed from (as `hipaa-scan evaluate` does)."""

WAIVER = Waiver(reason="Archive is encrypted client-side", expires="2026-01-01", owner="sec")


def sample_report(
    started: str = STARTED, finished: str = FINISHED, shuffle_seed: int | None = None
) -> Report:
    """The evaluated estate, with the ``archive`` encryption failure waived.

    With `shuffle_seed`, snapshots, rules, findings and gaps come in a different order;
    every formatter must still render the same text.
    """
    snaps = snapshots(started, finished, shuffle_seed)
    rules = list(RULES)
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        rng.shuffle(snaps)
        rng.shuffle(rules)
    report = evaluate(snaps, rules, attestations=[BAA])
    findings = [
        dataclasses.replace(f, waiver=WAIVER)
        if f.rule_id == "EAR-BKT-01" and f.resource.name == "archive"
        else f
        for f in report.findings
    ]
    gaps = list(report.gaps)
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed + 1)
        rng.shuffle(findings)
        gaps.reverse()
    return dataclasses.replace(
        report, findings=tuple(findings), gaps=tuple(gaps), snapshots=(SNAPSHOT_FILE,)
    )


def statuses(report: Report) -> set[tuple[str, str, Status]]:
    """The exact (rule id, resource uid, status) set of a report."""
    return {(f.rule_id, f.resource.uid, f.status) for f in report.findings}
