"""Former rule ids and the current id each one now means, as data.

Rule ids are permanent, but version 0.2.0 set a policy for them
(``<CONCERN>-<NEUTRAL SUBJECT NOUN>-<NN>``: no cloud's service names in rules every cloud
can have) and merged the database cluster rules into the instance rules that judge the
same control. Every id that existed before stays valid through this table: `--rule` and
`--exclude-rule` accept it (`scanner.selection.resolve_rule_id`). Findings carry the new
id, so their fingerprints changed once (see CHANGELOG.md).

An entry maps an old id straight to a current id, never to another old id.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ALIASES: Mapping[str, str] = MappingProxyType(
    {
        # Database clusters are judged by the instance rule of the same control.
        "BAK-DBCLUSTER-01": "BAK-DB-01",
        "BAK-DBCLUSTER-02": "BAK-DB-02",
        "BAK-DBCLUSTER-03": "BAK-DB-03",
        "EAR-DBCLUSTER-01": "EAR-DB-01",
        "EIT-DBCLUSTER-01": "EIT-DB-01",
        "LOG-DBCLUSTER-01": "LOG-DB-01",
        # Neutral subject nouns instead of service names.
        "BAK-DYNAMODB-01": "BAK-TABLE-01",
        "BAK-DYNAMODB-02": "BAK-TABLE-02",
        "EAR-DYNAMODB-01": "EAR-TABLE-01",
        "BAK-EFS-01": "BAK-FILESYSTEM-01",
        "EAR-EFS-01": "EAR-FILESYSTEM-01",
        "EIT-EFS-01": "EIT-FILESYSTEM-01",
        "EAR-EBSDEFAULT-01": "EAR-VOLDEFAULT-01",
        "EAR-EBSSNAPSHOT-01": "EAR-VOLSNAPSHOT-01",
        "PUB-EBSSNAPSHOT-01": "PUB-VOLSNAPSHOT-01",
        "EAR-KMSKEY-01": "EAR-KEY-01",
        "PUB-KMSKEY-01": "PUB-KEY-01",
        "LOG-GUARDDUTY-01": "LOG-THREATDETECT-01",
        "PUB-S3ACCOUNT-01": "PUB-BUCKETDEFAULT-01",
    }
)
