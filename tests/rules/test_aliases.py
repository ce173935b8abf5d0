"""The alias table: every former rule id still means one current rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules import load_rules
from rules.aliases import ALIASES
from scanner.rule import Rule, RuleDefinitionError
from scanner.selection import RuleSelection, alias_table

RULES = load_rules()
CURRENT = {r.id for r in RULES}

# The 0.1.0 rule ids, written out so that a rule renamed later without an alias fails here.
_RELEASED_TEXT = """
AGR-BAA-01 BAK-BUCKET-01 BAK-DB-01 BAK-DB-02 BAK-DB-03 BAK-DBCLUSTER-01 BAK-DBCLUSTER-02
BAK-DBCLUSTER-03 BAK-DYNAMODB-01 BAK-DYNAMODB-02 BAK-EFS-01 BAK-LB-01 BAK-WAREHOUSE-01
EAR-BUCKET-01 EAR-BUCKET-02 EAR-DB-01 EAR-DBCLUSTER-01 EAR-DBSNAPSHOT-01 EAR-DYNAMODB-01
EAR-EBSDEFAULT-01 EAR-EBSSNAPSHOT-01 EAR-EFS-01 EAR-KMSKEY-01 EAR-LOGGROUP-01 EAR-QUEUE-01
EAR-TOPIC-01 EAR-VOLUME-01 EAR-WAREHOUSE-01 EIT-BUCKET-01 EIT-CDN-01 EIT-CDN-02 EIT-CDN-03
EIT-DB-01 EIT-DBCLUSTER-01 EIT-EFS-01 EIT-LB-01 EIT-LB-02 EIT-QUEUE-01 EIT-TOPIC-01
EIT-WAREHOUSE-01 IAM-KEY-01 IAM-KEY-02 IAM-PASSWORD-01 IAM-PASSWORD-02 IAM-PASSWORD-03
IAM-POLICY-01 IAM-POLICY-02 IAM-POLICY-03 IAM-ROLE-01 IAM-ROOT-01 IAM-ROOT-02 IAM-USER-01
IAM-USER-02 LOG-BUCKET-01 LOG-CDN-01 LOG-CONFIG-01 LOG-DATAEVENTS-01 LOG-DB-01
LOG-DBCLUSTER-01 LOG-FLOWLOG-01 LOG-GUARDDUTY-01 LOG-LB-01 LOG-LOGGROUP-01 LOG-TRAIL-01
LOG-TRAIL-02 LOG-TRAIL-03 LOG-TRAIL-04 LOG-TRAIL-05 LOG-WAREHOUSE-01 PUB-BUCKET-01
PUB-BUCKET-02 PUB-BUCKET-03 PUB-DB-01 PUB-DBSNAPSHOT-01 PUB-EBSSNAPSHOT-01 PUB-FIREWALL-01
PUB-FIREWALL-02 PUB-FIREWALL-03 PUB-KMSKEY-01 PUB-QUEUE-01 PUB-S3ACCOUNT-01 PUB-TOPIC-01
PUB-WAREHOUSE-01
"""
RELEASED_0_1_0 = tuple(_RELEASED_TEXT.split())


def test_every_released_id_is_current_or_aliased_to_a_current_id() -> None:
    assert len(RELEASED_0_1_0) == 83
    lost = [i for i in RELEASED_0_1_0 if i not in CURRENT and ALIASES.get(i) not in CURRENT]
    assert lost == []


def test_aliases_point_straight_at_current_ids_and_never_shadow_one() -> None:
    assert sorted(set(ALIASES) & CURRENT) == []
    assert sorted(new for new in ALIASES.values() if new not in CURRENT) == []


def test_loaded_rules_carry_their_aliases() -> None:
    assert alias_table(RULES) == dict(ALIASES)
    by_id = {r.id: r for r in RULES}
    assert by_id["EAR-DB-01"].meta.aliases == ("EAR-DBCLUSTER-01",)
    assert by_id["BAK-TABLE-02"].meta.aliases == ("BAK-DYNAMODB-02",)
    assert by_id["EIT-CDN-01"].meta.aliases == ()


@pytest.mark.parametrize(("old", "new"), sorted(ALIASES.items()))
def test_selecting_an_old_id_runs_its_new_rule(old: str, new: str) -> None:
    assert [r.id for r in RuleSelection(include=(old,)).apply(RULES)] == [new]


def test_a_dangling_or_shadowing_alias_is_an_error_at_load() -> None:
    from rules import _with_aliases

    found: dict[str, Rule] = {r.id: r for r in RULES}
    with pytest.raises(RuleDefinitionError, match="EAR-GONE-01 old id"):
        _with_aliases(found, {"EAR-GONE-01": "EAR-NOWHERE-01"})
    with pytest.raises(RuleDefinitionError, match="EAR-DB-01 old id"):
        _with_aliases(found, {"EAR-DB-01": "EAR-TABLE-01"})


NEUTRAL_SERVICE_NOUNS = re.compile(
    r"-(S3|EBS|EFS|RDS|DYNAMODB|KMS|SQS|SNS|GUARDDUTY|CLOUDTRAIL|CLOUDFRONT|REDSHIFT|ELB|"
    r"AURORA|GCS|BIGQUERY|CLOUDSQL|AZURE|BLOB|COSMOS)[A-Z]*-"
)


def test_ids_name_no_cloud_service() -> None:
    assert sorted(r.id for r in RULES if NEUTRAL_SERVICE_NOUNS.search(r.id)) == []


@pytest.mark.parametrize("document", ["README.md", "CHANGELOG.md"])
def test_documents_list_the_whole_alias_table(document: str) -> None:
    text = (Path(__file__).resolve().parents[2] / document).read_text(encoding="utf-8")
    rows = dict(
        re.findall(
            r"^\| `([A-Z]+-[A-Z0-9]+-\d\d)` \| `([A-Z]+-[A-Z0-9]+-\d\d)` \|$",
            text,
            flags=re.MULTILINE,
        )
    )
    assert rows == dict(ALIASES)
