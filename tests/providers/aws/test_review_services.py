"""Review fixes: malformed (but successful) answers give unknown facts plus a gap, no crash.

`canned` answers one operation with a parsed response that lacks its result block, as a
fake or a broken proxy might; moto itself always returns well-formed answers.
"""

from __future__ import annotations

import boto3
from moto import mock_aws

from providers.aws.services import rds, redshift
from scanner.kinds.kms import Key
from scanner.kinds.messaging import Queue
from scanner.kinds.nosql import Table
from scanner.model import Snapshot
from tests.providers.aws.helpers import by_uid, canned, scan


def _malformed_gaps(snapshot: Snapshot, operation: str) -> set[str | None]:
    return {
        g.resource_uid
        for g in snapshot.gaps
        if g.operation == operation and g.error_code == "MalformedResponse"
    }


def test_parameter_group_entry_without_a_name_is_no_group_not_a_crash() -> None:
    assert rds._db_group({"DBParameterGroups": [{}]}) is None
    assert rds._db_group({"DBParameterGroups": [{"DBParameterGroupName": "pg"}]}) == "pg"
    assert redshift._group({"ClusterParameterGroups": [{}]}) is None
    assert redshift._group({"ClusterParameterGroups": [{"ParameterGroupName": "g"}]}) == "g"


def test_continuous_backups_answer_without_description_is_unknown_pitr() -> None:
    with mock_aws():
        boto3.client("dynamodb", region_name="us-east-1").create_table(
            TableName="phi",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        with canned("dynamodb.DescribeContinuousBackups", {}):
            snapshot = scan(["dynamodb"], regions=("us-east-1",))
    (table,) = by_uid(snapshot, Table.KIND).values()
    assert table.props.point_in_time_recovery is None
    assert table.props.key_type is not None  # DescribeTable still answered
    assert _malformed_gaps(snapshot, "DescribeContinuousBackups") == {table.uid}


def test_describe_key_answer_without_metadata_is_unknown_rotation() -> None:
    with mock_aws():
        boto3.client("kms", region_name="us-east-1").create_key()
        with canned("kms.DescribeKey", {}):
            snapshot = scan(["kms"], regions=("us-east-1",))
    (key,) = by_uid(snapshot, Key.KIND).values()
    assert key.props.rotation_applicable is None
    assert key.props.rotation_enabled is None
    assert _malformed_gaps(snapshot, "DescribeKey") == {key.uid}


def test_queue_attributes_answer_without_attributes_is_unknown_not_unencrypted() -> None:
    with mock_aws():
        boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="phi")
        with canned("sqs.GetQueueAttributes", {}):
            snapshot = scan(["sqs"], regions=("us-east-1",))
    (queue,) = by_uid(snapshot, Queue.KIND).values()
    assert queue.props == Queue()
    assert queue.props.encryption is None
    assert _malformed_gaps(snapshot, "GetQueueAttributes") == {queue.uid}
