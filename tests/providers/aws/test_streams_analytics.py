"""Collectors of group E (streams and analytics) against moto, with canned answers where it lacks.

What moto cannot do, and is answered through the `answering` helper instead (said at each
test): Redshift Serverless (no backend at all), DocumentDB clusters (the RDS backend refuses
engine ``docdb``), EMR block public access "off" (moto stores False as True), a primary node
without a public address (moto gives every EMR node one), a malformed security configuration.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.demo_streams_analytics import serverless_answer
from providers.aws.services.emr import SecurityConfigError, encryption_settings, port_ranges
from providers.aws.services.kinesis import delivery_facts
from providers.base import CallCounter
from tests.providers.aws.helpers import (
    ACCOUNT,
    Answer,
    answering,
    by_uid,
    failing,
    fake_answer,
    operation_name,
    outcomes,
    scan,
)

US, EU = "us-east-1", "eu-west-1"
STREAMS = f"arn:aws:kinesis:{US}:{ACCOUNT}:stream"
FIREHOSE = f"arn:aws:firehose:{US}:{ACCOUNT}:deliverystream"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/firehose"
S3_DEST = {"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::lake"}
EMR_ROLES = {"JobFlowRole": "EMR_EC2_DefaultRole", "ServiceRole": "EMR_DefaultRole"}
STREAM_RULES = ("EAR-STREAM-01", "EAR-DELIVERYSTREAM-01")
EMR_RULES = ("EAR-ANALYTICS-01", "EIT-ANALYTICS-01", "PUB-ANALYTICS-01")
WAREHOUSE_RULES = (
    "EAR-WAREHOUSE-01",
    "PUB-WAREHOUSE-01",
    "EIT-WAREHOUSE-01",
    "LOG-WAREHOUSE-01",
    "BAK-WAREHOUSE-01",
)


def answer_with(answers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]) -> Any:
    """A ``before-call`` handler answering the named operations (by their parameters)."""

    def handler(model: Any, params: dict[str, Any], **_: Any) -> Answer | None:
        make = answers.get(operation_name(model))
        return None if make is None else fake_answer(make(params.get("body") or {}))

    return answering(handler)


# --- Kinesis and Firehose ---------------------------------------------------------------


def seed_streams() -> None:
    kinesis = boto3.client("kinesis", US)
    for name in ("sealed", "plain"):
        kinesis.create_stream(StreamName=name, ShardCount=1)
    kinesis.start_stream_encryption(
        StreamName="sealed", EncryptionType="KMS", KeyId="alias/aws/kinesis"
    )
    kinesis.add_tags_to_stream(StreamName="sealed", Tags={"data-class": "phi"})
    firehose = boto3.client("firehose", US)
    for name, source in (("from-sealed", "sealed"), ("from-plain", "plain")):
        firehose.create_delivery_stream(
            DeliveryStreamName=name,
            DeliveryStreamType="KinesisStreamAsSource",
            KinesisStreamSourceConfiguration={
                "KinesisStreamARN": f"{STREAMS}/{source}",
                "RoleARN": ROLE,
            },
            ExtendedS3DestinationConfiguration=S3_DEST,
        )
    for name in ("direct-sealed", "direct-plain"):
        firehose.create_delivery_stream(
            DeliveryStreamName=name, ExtendedS3DestinationConfiguration=S3_DEST
        )
    firehose.start_delivery_stream_encryption(
        DeliveryStreamName="direct-sealed",
        DeliveryStreamEncryptionConfigurationInput={"KeyType": "AWS_OWNED_CMK"},
    )


@pytest.fixture
def streams() -> Iterator[None]:
    with mock_aws():
        seed_streams()
        yield


STREAMS_EXPECTED = {
    ("EAR-STREAM-01", f"{STREAMS}/sealed", "PASS"),
    ("EAR-STREAM-01", f"{STREAMS}/plain", "FAIL"),
    # Near miss: neither stream-fed Firehose has encryption of its own; the source decides.
    ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/from-sealed", "PASS"),
    ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/from-plain", "FAIL"),
    ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/direct-sealed", "PASS"),
    ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/direct-plain", "FAIL"),
}


def test_streams_exact_outcomes_facts_and_call_counts(streams: None) -> None:
    counter = CallCounter()
    snapshot = scan(["kinesis", "firehose"], counter=counter)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, STREAM_RULES) == STREAMS_EXPECTED
    found = by_uid(snapshot, "stream.stream")
    assert found[f"{STREAMS}/sealed"].tags == {"data-class": "phi"}
    assert found[f"{STREAMS}/sealed"].props.kms_key_id == "alias/aws/kinesis"
    fed = by_uid(snapshot, "stream.delivery")[f"{FIREHOSE}/from-sealed"].props
    assert (fed.source_type, fed.source_stream_uid) == (
        "KinesisStreamAsSource",
        f"{STREAMS}/sealed",
    )
    assert dict(counter.counts) == {
        "sts.GetCallerIdentity": 1,
        "kinesis.ListStreams": 2,
        "kinesis.DescribeStreamSummary": 2,
        "kinesis.ListTagsForStream": 2,
        "firehose.ListDeliveryStreams": 2,
        "firehose.DescribeDeliveryStream": 4,
        "firehose.ListTagsForDeliveryStream": 4,
    }


def test_a_denied_stream_summary_is_unknown_and_so_is_every_firehose_it_feeds(
    streams: None,
) -> None:
    with failing("kinesis.DescribeStreamSummary"):
        snapshot = scan(["kinesis", "firehose"])
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeStreamSummary", f"{STREAMS}/sealed"),
        ("DescribeStreamSummary", f"{STREAMS}/plain"),
    }
    assert outcomes(snapshot, STREAM_RULES) == {
        ("EAR-STREAM-01", f"{STREAMS}/sealed", "UNKNOWN"),
        ("EAR-STREAM-01", f"{STREAMS}/plain", "UNKNOWN"),
        ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/from-sealed", "UNKNOWN"),
        ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/from-plain", "UNKNOWN"),
        ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/direct-sealed", "PASS"),
        ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/direct-plain", "FAIL"),
    }


def test_denied_tags_keep_streams_in_every_phi_scope(streams: None) -> None:
    with failing("kinesis.ListTagsForStream", "firehose.ListTagsForDeliveryStream"):
        snapshot = scan(["kinesis", "firehose"])
    assert {r.tags for r in snapshot.resources} == {None}
    assert outcomes(snapshot, STREAM_RULES, phi_tags=(("data-class", "phi"),)) == STREAMS_EXPECTED


def test_a_firehose_without_its_kinesis_source_in_the_scan_is_unknown(streams: None) -> None:
    snapshot = scan(["firehose"])
    assert {o for o in outcomes(snapshot, STREAM_RULES) if "from-" in o[1]} == {
        ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/from-sealed", "UNKNOWN"),
        ("EAR-DELIVERYSTREAM-01", f"{FIREHOSE}/from-plain", "UNKNOWN"),
    }


def test_delivery_facts_read_every_encryption_status() -> None:
    assert delivery_facts(None).encrypted is None
    assert delivery_facts({"DeliveryStreamType": "DirectPut"}).encrypted is False
    for status, encrypted in (("ENABLED", True), ("ENABLING", False), ("DISABLED", False)):
        config = {"Status": status, "KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": "k"}
        facts = delivery_facts({"DeliveryStreamEncryptionConfiguration": config})
        assert (facts.encrypted, facts.kms_key_type) == (encrypted, "CUSTOMER_MANAGED_CMK")


# --- EMR --------------------------------------------------------------------------------


def security_config(at_rest: dict[str, Any] | None, in_transit: bool) -> str:
    encryption: dict[str, Any] = {
        "EnableAtRestEncryption": at_rest is not None,
        "EnableInTransitEncryption": in_transit,
    }
    if at_rest is not None:
        encryption["AtRestEncryptionConfiguration"] = at_rest
    return json.dumps({"EncryptionConfiguration": encryption})


LOCAL = {"LocalDiskEncryptionConfiguration": {"EncryptionKeyProviderType": "AwsKms"}}
S3_ONLY = {"S3EncryptionConfiguration": {"EncryptionMode": "SSE-S3"}}


def seed_emr() -> dict[str, str]:
    emr = boto3.client("emr", US)
    emr.create_security_configuration(
        Name="full", SecurityConfiguration=security_config(LOCAL, True)
    )
    emr.create_security_configuration(
        Name="s3-only", SecurityConfiguration=security_config(S3_ONLY, False)
    )
    arns = {}
    for name, config in (("full", "full"), ("s3-only", "s3-only"), ("none", None), ("gone", None)):
        extra = {"SecurityConfiguration": config} if config else {}
        made = emr.run_job_flow(
            Name=name,
            ReleaseLabel="emr-6.15.0",
            Instances={
                "InstanceGroups": [
                    {"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1}
                ],
                "KeepJobFlowAliveWhenNoSteps": True,
            },
            **EMR_ROLES,
            **extra,
        )
        arns[name] = made["ClusterArn"]
        if name == "gone":
            emr.terminate_job_flows(JobFlowIds=[made["JobFlowId"]])
    for region in (US, EU):
        boto3.client("emr", region).put_block_public_access_configuration(
            BlockPublicAccessConfiguration={"BlockPublicSecurityGroupRules": True}
        )
    return arns


@pytest.fixture
def emr_clusters() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield seed_emr()


def test_emr_exact_outcomes_facts_and_call_counts(emr_clusters: dict[str, str]) -> None:
    counter = CallCounter()
    snapshot = scan(["emr"], counter=counter)
    full, s3_only, none = emr_clusters["full"], emr_clusters["s3-only"], emr_clusters["none"]
    # moto gives every EMR primary node a public address: PUB fails for all three. The
    # terminated cluster is not listed at all.
    assert outcomes(snapshot, EMR_RULES) == {
        ("EAR-ANALYTICS-01", full, "PASS"),
        ("EIT-ANALYTICS-01", full, "PASS"),
        # Near miss: at-rest encryption switched on for S3 only leaves the local disks plain.
        ("EAR-ANALYTICS-01", s3_only, "FAIL"),
        ("EIT-ANALYTICS-01", s3_only, "FAIL"),
        ("EAR-ANALYTICS-01", none, "FAIL"),
        ("EIT-ANALYTICS-01", none, "FAIL"),
        *(("PUB-ANALYTICS-01", uid, "FAIL") for uid in (full, s3_only, none)),
    }
    facts = by_uid(snapshot, "analytics.cluster")[s3_only].props
    assert (facts.at_rest_switch_on, facts.s3_encryption_mode) == (True, "SSE-S3")
    assert counter.counts["emr.ListClusters"] == 2
    assert counter.counts["emr.DescribeCluster"] == 3
    assert counter.counts["emr.ListInstances"] == 3
    assert counter.counts["emr.DescribeSecurityConfiguration"] == 2  # one per configuration
    assert counter.counts["emr.GetBlockPublicAccessConfiguration"] == 2


def test_a_primary_node_without_public_address_passes(emr_clusters: dict[str, str]) -> None:
    # Canned: moto gives every EMR node a public IP; a private one answers without it.
    private = {"Instances": [{"Id": "ci-1", "PrivateIpAddress": "10.0.0.5"}]}
    with answer_with({"emr.ListInstances": lambda _: private}):
        snapshot = scan(["emr"])
    assert {o for o in outcomes(snapshot, ("PUB-ANALYTICS-01",))} == {
        ("PUB-ANALYTICS-01", emr_clusters[name], "PASS") for name in ("full", "s3-only", "none")
    }


def test_a_denied_or_malformed_security_configuration_is_unknown(
    emr_clusters: dict[str, str],
) -> None:
    full, s3_only = emr_clusters["full"], emr_clusters["s3-only"]
    with failing("emr.DescribeSecurityConfiguration"):
        denied = scan(["emr"])
    with answer_with(
        {"emr.DescribeSecurityConfiguration": lambda _: {"SecurityConfiguration": "{not json"}}
    ):
        malformed = scan(["emr"])
    for snapshot, code in ((denied, "AccessDenied"), (malformed, "MalformedSecurityConfiguration")):
        assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
            ("DescribeSecurityConfiguration", code)
        }
        judged = outcomes(snapshot, ("EAR-ANALYTICS-01", "EIT-ANALYTICS-01"))
        assert {o for o in judged if o[1] in (full, s3_only)} == {
            (rule, uid, "UNKNOWN")
            for rule in ("EAR-ANALYTICS-01", "EIT-ANALYTICS-01")
            for uid in (full, s3_only)
        }
        # The cluster without a configuration is still a definite FAIL.
        assert ("EAR-ANALYTICS-01", emr_clusters["none"], "FAIL") in judged


def test_a_denied_describe_cluster_leaves_every_cluster_fact_unknown(
    emr_clusters: dict[str, str],
) -> None:
    with failing("emr.DescribeCluster"):
        snapshot = scan(["emr"])
    found = by_uid(snapshot, "analytics.cluster")
    assert {
        (r.tags, r.props.encrypted_at_rest, r.props.primary_node_public) for r in found.values()
    } == {(None, None, None)}
    assert {o[2] for o in outcomes(snapshot, EMR_RULES)} == {"UNKNOWN"}


def bpa(config: dict[str, Any]) -> dict[str, Any]:
    return {"BlockPublicAccessConfiguration": config, "BlockPublicAccessConfigurationMetadata": {}}


def test_block_public_access_off_on_and_unreadable() -> None:
    # Canned: moto stores "off" as on, and answers an empty configuration before any put.
    uid = f"arn:aws:elasticmapreduce:{{}}:{ACCOUNT}:block-public-access"
    answers = {
        US: bpa({"BlockPublicSecurityGroupRules": False}),
        EU: bpa(
            {
                "BlockPublicSecurityGroupRules": True,
                "PermittedPublicSecurityGroupRuleRanges": [
                    {"MinRange": 22, "MaxRange": 22},
                    {"MinRange": 8000, "MaxRange": 8100},
                ],
            }
        ),
    }

    def by_region(model: Any, context: Any = None, **_: Any) -> Answer | None:
        if operation_name(model) != "emr.GetBlockPublicAccessConfiguration":
            return None
        return fake_answer(answers[context["client_region"]])

    with mock_aws(), answering(by_region):
        snapshot = scan(["emr"])
    assert outcomes(snapshot, ("PUB-ANALYTICSDEFAULT-01",)) == {
        ("PUB-ANALYTICSDEFAULT-01", uid.format(US), "FAIL"),
        ("PUB-ANALYTICSDEFAULT-01", uid.format(EU), "PASS"),
    }
    eu = by_uid(snapshot, "aws.emr_block_public_access")[uid.format(EU)].props
    assert eu.port_exceptions == ("22", "8000-8100")
    with mock_aws():  # moto before any put: an answer without the switch
        empty = scan(["emr"])
    assert outcomes(empty, ("PUB-ANALYTICSDEFAULT-01",)) == {
        ("PUB-ANALYTICSDEFAULT-01", uid.format(region), "UNKNOWN") for region in (US, EU)
    }
    assert {(g.operation, g.error_code) for g in empty.gaps} == {
        ("GetBlockPublicAccessConfiguration", "MalformedResponse")
    }


def test_encryption_settings_and_port_ranges() -> None:
    assert encryption_settings(security_config(LOCAL, True)) == (True, True, None, True)
    assert encryption_settings(security_config(S3_ONLY, False)) == (False, True, "SSE-S3", False)
    # The switch off makes a listed local-disk configuration irrelevant.
    off = {"EncryptionConfiguration": {"EnableAtRestEncryption": False, **LOCAL}}
    assert encryption_settings(off) == (False, False, None, False)
    for bad in ("[1]", "{oops", json.dumps({"EncryptionConfiguration": [1]})):
        with pytest.raises(SecurityConfigError):
            encryption_settings(bad)
    assert port_ranges([{"MinRange": 22, "MaxRange": 22}, {"MinRange": 1, "MaxRange": 9}]) == (
        "22",
        "1-9",
    )


# --- DMS --------------------------------------------------------------------------------


def test_dms_exact_outcomes_and_call_counts() -> None:
    with mock_aws():
        dms = boto3.client("dms", US)
        arns = {
            name: dms.create_replication_instance(
                ReplicationInstanceIdentifier=name,
                ReplicationInstanceClass="dms.t3.medium",
                PubliclyAccessible=public,
                Tags=[{"Key": "data-class", "Value": "phi"}],
            )["ReplicationInstance"]["ReplicationInstanceArn"]
            for name, public in (("private", False), ("public", True))
        }
        counter = CallCounter()
        snapshot = scan(["dms"], counter=counter)
        with failing("dms.DescribeReplicationInstances"):
            denied = scan(["dms"])
    assert outcomes(snapshot, ("PUB-MIGRATION-01",)) == {
        ("PUB-MIGRATION-01", arns["private"], "PASS"),
        ("PUB-MIGRATION-01", arns["public"], "FAIL"),
    }
    assert {r.tags["data-class"] for r in snapshot.resources if r.tags} == {"phi"}
    assert dict(counter.counts) == {
        "sts.GetCallerIdentity": 1,
        "dms.DescribeReplicationInstances": 2,
        "dms.ListTagsForResource": 2,
    }
    # A failed listing hides whatever instances exist: UNKNOWN per region, never PASS.
    assert {o[2] for o in outcomes(denied, ("PUB-MIGRATION-01",))} == {"UNKNOWN"}


# --- Redshift Serverless (no moto backend: every answer is canned) ----------------------

WG = f"arn:aws:redshift-serverless:{US}:{ACCOUNT}:workgroup"


def workgroup(name: str, namespace: str, public: bool, ssl: str | None) -> dict[str, Any]:
    params = [] if ssl is None else [{"parameterKey": "require_ssl", "parameterValue": ssl}]
    return {
        "workgroupName": name,
        "workgroupArn": f"{WG}/{name}",
        "namespaceName": namespace,
        "publiclyAccessible": public,
        "configParameters": [
            {"parameterKey": "max_query_execution_time", "parameterValue": "1"},
            *params,
        ],
    }


def serverless(region_answers: dict[str, dict[str, Any]]) -> Any:
    def handler(model: Any, context: Any = None, **_: Any) -> Answer | None:
        service, operation = operation_name(model).split(".")
        if service != "redshift-serverless":
            return None
        return fake_answer(region_answers[context["client_region"]][operation])

    return answering(handler)


SERVERLESS_US = {
    "ListWorkgroups": {
        "workgroups": [
            workgroup("open", "cmk", True, "false"),
            workgroup("closed", "owned", False, "true"),
            workgroup("orphan", "missing", False, None),
        ]
    },
    "ListNamespaces": {
        "namespaces": [
            {
                "namespaceName": "cmk",
                "kmsKeyId": f"arn:aws:kms:{US}:{ACCOUNT}:key/1",
                "logExports": ["connectionlog", "userlog", "useractivitylog"],
            },
            # Near miss: user activity alone does not record who connected.
            {
                "namespaceName": "owned",
                "kmsKeyId": "AWS_OWNED_KMS_KEY",
                "logExports": ["useractivitylog"],
            },
        ]
    },
    "ListTagsForResource": {"tags": [{"key": "data-class", "value": "phi"}]},
}
SERVERLESS_EU: dict[str, Any] = {"ListWorkgroups": {"workgroups": []}}


def test_serverless_workgroups_are_judged_as_warehouses() -> None:
    counter = CallCounter()
    with mock_aws(), serverless({US: SERVERLESS_US, EU: SERVERLESS_EU}):
        snapshot = scan(["redshift-serverless"], counter=counter)
    assert snapshot.gaps == ()
    open_, closed, orphan = f"{WG}/open", f"{WG}/closed", f"{WG}/orphan"
    table = {
        #          EAR        PUB       EIT        LOG        BAK
        open_: ("PASS", "FAIL", "FAIL", "PASS", "UNKNOWN"),
        closed: ("PASS", "PASS", "PASS", "FAIL", "UNKNOWN"),
        # Its namespace is not in the listing: what the namespace decides is unknown.
        orphan: ("UNKNOWN", "PASS", "UNKNOWN", "UNKNOWN", "UNKNOWN"),
    }
    assert outcomes(snapshot, WAREHOUSE_RULES) == {
        (rule, uid, status)
        for uid, row in table.items()
        for rule, status in zip(WAREHOUSE_RULES, row, strict=True)
    }
    found = by_uid(snapshot, "database.warehouse")
    assert found[closed].props.kms_key_id == "AWS_OWNED_KMS_KEY"
    assert found[open_].tags == {"data-class": "phi"}
    assert found[open_].native_type == "AWS::RedshiftServerless::Workgroup"
    assert dict(counter.counts) == {
        "sts.GetCallerIdentity": 1,
        "redshift-serverless.ListWorkgroups": 2,
        "redshift-serverless.ListNamespaces": 1,  # not asked where no workgroup exists
        "redshift-serverless.ListTagsForResource": 3,
    }


@pytest.mark.parametrize(
    "operation", ["redshift-serverless.ListNamespaces", "redshift-serverless.ListTagsForResource"]
)
def test_serverless_faults_become_gaps_and_unknowns(operation: str) -> None:
    # `failing` first: the first handler registered answers first.
    with mock_aws(), failing(operation), serverless({US: SERVERLESS_US, EU: SERVERLESS_EU}):
        snapshot = scan(["redshift-serverless"])
    assert {f"redshift-serverless.{g.operation}" for g in snapshot.gaps} == {operation}
    found = by_uid(snapshot, "database.warehouse")
    if operation.endswith("ListNamespaces"):
        assert {r.props.encrypted_at_rest for r in found.values()} == {None}
        assert {r.props.audit_logging_enabled for r in found.values()} == {None}
        assert {r.props.publicly_accessible for r in found.values()} == {True, False}
    else:
        assert {r.tags for r in found.values()} == {None}


def test_the_demo_stub_answers_only_the_demo_region() -> None:
    assert serverless_answer("RedshiftServerless.ListWorkgroups", US) is not None
    assert serverless_answer("RedshiftServerless.ListWorkgroups", EU) == {"workgroups": []}
    assert serverless_answer("RedshiftServerless.GetWorkgroup", US) is None


# --- DocumentDB and Neptune through the RDS API -----------------------------------------

DOCDB = f"arn:aws:rds:{US}:{ACCOUNT}:cluster"


def docdb_cluster(name: str, group: str, exports: list[str]) -> dict[str, Any]:
    return {
        "DBClusterIdentifier": name,
        "DBClusterArn": f"{DOCDB}:{name}",
        "Engine": "docdb",
        "EngineVersion": "5.0.0",
        "StorageEncrypted": True,
        "DBClusterParameterGroup": group,
        "EnabledCloudwatchLogsExports": exports,
        "BackupRetentionPeriod": 7,
        "MultiAZ": True,
        "DeletionProtection": True,
        "DBClusterMembers": [],
    }


def test_document_db_tls_and_audit_parameters() -> None:
    # Canned: moto's RDS refuses engine "docdb". The custom group turns TLS off and audit on.
    clusters = {
        "DBClusters": [
            docdb_cluster("custom", "docdb-custom", ["audit"]),
            # Trap: "audit" exported on a default group, where audit_logs is off.
            docdb_cluster("default", "default.docdb5.0", ["audit"]),
        ]
    }
    parameters = {
        "Parameters": [
            {"ParameterName": "tls", "ParameterValue": "disabled"},
            {"ParameterName": "audit_logs", "ParameterValue": "enabled"},
        ]
    }
    canned = {
        "rds.DescribeDBClusters": lambda _: clusters,
        "rds.DescribeDBClusterParameters": lambda _: parameters,
    }
    counter = CallCounter()
    with mock_aws(), answer_with(canned):
        snapshot = scan(["rds"], regions=(US,), counter=counter)
    # `failing` first: the first handler registered answers first.
    with mock_aws(), failing("rds.DescribeDBClusterParameters"), answer_with(canned):
        denied = scan(["rds"], regions=(US,))
    custom, default = f"{DOCDB}:custom", f"{DOCDB}:default"
    rules = ("EIT-DB-01", "LOG-DB-01", "EAR-DB-01")
    assert outcomes(snapshot, rules) == {
        ("EIT-DB-01", custom, "FAIL"),
        ("LOG-DB-01", custom, "PASS"),
        ("EAR-DB-01", custom, "PASS"),
        ("EIT-DB-01", default, "PASS"),
        ("LOG-DB-01", default, "FAIL"),
        ("EAR-DB-01", default, "PASS"),
    }
    assert counter.counts["rds.DescribeDBClusterParameters"] == 1  # the custom group only
    # Unread parameters: TLS and the audit switch of the custom group are unknown, not off.
    assert {o for o in outcomes(denied, rules) if o[1] == custom} == {
        ("EIT-DB-01", custom, "UNKNOWN"),
        ("LOG-DB-01", custom, "UNKNOWN"),
        ("EAR-DB-01", custom, "PASS"),
    }


def test_the_demo_server_lists_a_regions_own_clusters_only() -> None:
    # moto's server lists every region's EMR clusters in each region; AWS does not, and the
    # demo's server corrects it (the collector has no guard for the fake).
    from providers.aws.demo import with_regional_emr

    arn = "arn:aws:elasticmapreduce:{}:123456789012:cluster/j-{}"
    clusters = [
        {"Id": "j-US", "ClusterArn": arn.format("us-east-1", "US")},
        {"Id": "j-EU", "ClusterArn": arn.format("eu-west-1", "EU")},
        {"Id": "j-NOARN"},
    ]
    calls: list[str] = []

    def moto(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        calls.append(str(environ.get("HTTP_X_AMZ_TARGET")))
        body = json.dumps({"Clusters": clusters}).encode()
        start_response("200 OK", [("Content-Length", str(len(body)))])
        return [body]

    def listed(target: str, region: str) -> Any:
        environ = {
            "HTTP_X_AMZ_TARGET": target,
            "HTTP_AUTHORIZATION": f"AWS4-HMAC-SHA256 Credential=demo/20261203/{region}/emr/aws4",
        }
        answered: list[Any] = []
        body = with_regional_emr(moto)(environ, lambda *a: answered.append(a))
        (status, headers) = answered[0][:2]
        assert status == "200 OK"
        text = b"".join(body)
        assert dict(headers)["Content-Length"] == str(len(text))
        return [c["Id"] for c in json.loads(text)["Clusters"]]

    assert listed("ElasticMapReduce.ListClusters", "eu-west-1") == ["j-EU", "j-NOARN"]
    assert listed("ElasticMapReduce.ListClusters", "us-east-1") == ["j-US", "j-NOARN"]
    # Other EMR calls pass through untouched.
    assert listed("ElasticMapReduce.DescribeCluster", "eu-west-1") == ["j-US", "j-EU", "j-NOARN"]
    assert len(calls) == 3


def test_a_failed_second_page_of_delivery_streams_leaves_the_kind_unlisted(
    streams: None,
) -> None:
    # Canned first page (moto never pages this listing), then the second page denied: the
    # streams of the first page must not pass for the region's every stream.
    def handler(model: Any, params: dict[str, Any], **_: Any) -> Answer | None:
        if operation_name(model) != "firehose.ListDeliveryStreams":
            return None
        if "ExclusiveStartDeliveryStreamName" not in json.loads(params.get("body") or b"{}"):
            page = {"DeliveryStreamNames": ["direct-plain"], "HasMoreDeliveryStreams": True}
            return fake_answer(page)
        return fake_answer({"Error": {"Code": "AccessDenied", "Message": "denied"}}, 403)

    with answering(handler):
        snapshot = scan(["firehose"])
    assert {(g.region, g.operation, g.error_code) for g in snapshot.gaps} == {
        (US, "ListDeliveryStreams", "AccessDenied"),
        (EU, "ListDeliveryStreams", "AccessDenied"),
    }
    assert by_uid(snapshot, "stream.delivery") == {}
    assert {o for o in outcomes(snapshot, STREAM_RULES) if o[0] == "EAR-DELIVERYSTREAM-01"} == {
        ("EAR-DELIVERYSTREAM-01", f"aws/{ACCOUNT}/{region}/stream.delivery", "UNKNOWN")
        for region in (US, EU)
    }
