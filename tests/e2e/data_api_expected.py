"""What the demo estate's APIs, search domains, caches and ML resources must report (group D).

Kept apart from `test_aws_services.expected` so that each issue-11 group adds its own
block; `test_aws_services` joins them. Decoys: the private REST API has no web ACL and
is not judged for it; the HTTP API cannot have a web ACL or execution logs; the clinical
search domain's policy is open to ``*`` but pinned by ``aws:SourceIp`` (not public);
Memcached is not judged on backups (it keeps none) but fails AUTH and at-rest encryption.
"""

from __future__ import annotations

ACCOUNT = "123456789012"
USE1, EUW1 = "us-east-1", "eu-west-1"
P, F = "PASS", "FAIL"

DATA_API_RULES = (
    "LOG-APISTAGE",
    "PUB-APISTAGE",
    "EIT-APIDOMAIN",
    "EAR-SEARCH",
    "EIT-SEARCH",
    "PUB-SEARCH",
    "LOG-SEARCH",
    "EAR-CACHE",
    "EIT-CACHE",
    "IAM-CACHE",
    "BAK-CACHE",
    "EAR-NOTEBOOK",
    "PUB-NOTEBOOK",
    "IAM-NOTEBOOK",
    "EAR-MLENDPOINT",
)


def _rows(
    table: dict[str, tuple[str | None, ...]], rules: tuple[str, ...]
) -> set[tuple[str, str, str]]:
    return {
        (rule, uid, status)
        for uid, statuses in table.items()
        for rule, status in zip(rules, statuses, strict=True)
        if status is not None
    }


def data_api_expected(ids: dict[str, str]) -> set[tuple[str, str, str]]:
    """The exact (rule, uid, status) set of group D's rules on the demo estate."""
    rest = f"arn:aws:apigateway:{USE1}::/restapis"
    http = f"arn:aws:apigateway:{USE1}::/apis"
    stages = {
        f"{rest}/{ids['patient_api']}/stages/prod": (P, P, P),
        f"{rest}/{ids['patient_api']}/stages/staging": (F, F, F),
        f"{rest}/{ids['internal_api']}/stages/prod": (P, P, None),
        f"{http}/{ids['scheduling_api']}/stages/$default": (F, None, None),
    }
    domains = f"arn:aws:apigateway:{USE1}::/domainnames"
    search = f"arn:aws:es:{USE1}:{ACCOUNT}:domain"
    caches = {
        f"arn:aws:elasticache:{USE1}:{ACCOUNT}:replicationgroup:nwh-session-cache": (P, P, P, P),
        f"arn:aws:elasticache:{USE1}:{ACCOUNT}:cluster:nwh-lookup-cache": (F, F, F, None),
        f"arn:aws:memorydb:{EUW1}:{ACCOUNT}:cluster/nwh-events-db": (P, P, F, F),
    }
    sagemaker = f"arn:aws:sagemaker:{USE1}:{ACCOUNT}"
    return {
        *_rows(stages, ("LOG-APISTAGE-01", "LOG-APISTAGE-02", "PUB-APISTAGE-01")),
        ("EIT-APIDOMAIN-01", f"{domains}/api.nwh.example", P),
        ("EIT-APIDOMAIN-01", f"{domains}/legacy-scheduling.nwh.example", F),
        *_rows(
            {f"{search}/nwh-clinical-search": (P,) * 5, f"{search}/nwh-legacy-es": (F,) * 5},
            ("EAR-SEARCH-01", "EIT-SEARCH-01", "EIT-SEARCH-02", "PUB-SEARCH-01", "LOG-SEARCH-01"),
        ),
        *_rows(caches, ("EAR-CACHE-01", "EIT-CACHE-01", "IAM-CACHE-01", "BAK-CACHE-01")),
        *_rows(
            {
                f"{sagemaker}:notebook-instance/nwh-research-notebook": (P, P, P),
                f"{sagemaker}:notebook-instance/nwh-ds-scratch": (F, F, F),
            },
            ("EAR-NOTEBOOK-01", "PUB-NOTEBOOK-01", "IAM-NOTEBOOK-01"),
        ),
        ("EAR-MLENDPOINT-01", f"{sagemaker}:endpoint-config/nwh-readmission-v2", P),
        ("EAR-MLENDPOINT-01", f"{sagemaker}:endpoint-config/nwh-readmission-v1", F),
    }


def data_api_iam_slice() -> set[tuple[str, str, str]]:
    """Group D's IAM-prefixed findings (the CLI test's identity slice takes every IAM- rule)."""
    return {t for t in data_api_expected(_NO_IDS) if t[0].startswith("IAM-")}


# The IAM-prefixed rules judge caches and notebooks, whose uids need no generated id.
_NO_IDS = {"patient_api": "-", "internal_api": "-", "scheduling_api": "-"}
