"""Demo estate, streams and analytics: Kinesis, Firehose, EMR, DMS and a Neptune cluster.

Seeded into the local fake only (see `providers.aws.demo_estate`). Each service has a
resource that passes and one that fails. moto has no Redshift Serverless backend: the demo's
server answers those reads itself (`with_redshift_serverless_stub`); the in-process mock
used by tests does not, so there its listing is a gap.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only the type: `demo_estate.seed` imports this module, so a runtime import would loop.
    from providers.aws.demo_estate import ClientMaker

ACCOUNT = "123456789012"  # moto's default account
# The demo estate's PHI tag (`demo_estate` keeps the same one).
PHI_TAG = {"Key": "data-class", "Value": "phi"}
EMR_ROLES = {"JobFlowRole": "EMR_EC2_DefaultRole", "ServiceRole": "EMR_DefaultRole"}


def seed_streams_analytics(make: ClientMaker) -> dict[str, str]:
    """Seed every service of the group; return the ids tests need, by role."""
    ids = _seed_streams(make)
    ids.update(_seed_emr(make))
    ids.update(_seed_dms(make))
    _seed_graph_db(make)
    return ids


def _seed_streams(make: ClientMaker) -> dict[str, str]:
    # Pass: HL7 feed encrypted with the AWS managed key. Fail: device telemetry in clear.
    # Decoy: a Firehose fed by the encrypted stream keeps nothing at rest itself (pass);
    # trap: a direct-put Firehose buffering claims without server-side encryption (fail).
    kinesis = make("kinesis", "us-east-1")
    kinesis.create_stream(StreamName="nwh-hl7-feed", ShardCount=1)
    kinesis.start_stream_encryption(
        StreamName="nwh-hl7-feed", EncryptionType="KMS", KeyId="alias/aws/kinesis"
    )
    kinesis.add_tags_to_stream(StreamName="nwh-hl7-feed", Tags={"data-class": "phi"})
    kinesis.create_stream(StreamName="nwh-device-telemetry", ShardCount=1)
    hl7 = kinesis.describe_stream_summary(StreamName="nwh-hl7-feed")
    hl7_arn = hl7["StreamDescriptionSummary"]["StreamARN"]
    firehose = make("firehose", "us-east-1")
    destination = {
        "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/nwh-firehose",
        "BucketARN": "arn:aws:s3:::nwh-patient-records",
    }
    firehose.create_delivery_stream(
        DeliveryStreamName="nwh-hl7-to-lake",
        DeliveryStreamType="KinesisStreamAsSource",
        KinesisStreamSourceConfiguration={
            "KinesisStreamARN": hl7_arn,
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/nwh-firehose",
        },
        ExtendedS3DestinationConfiguration=destination,
        Tags=[PHI_TAG],
    )
    firehose.create_delivery_stream(
        DeliveryStreamName="nwh-claims-export",
        DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration=destination,
        Tags=[PHI_TAG],
    )
    claims = firehose.describe_delivery_stream(DeliveryStreamName="nwh-claims-export")
    return {
        "hl7_stream": hl7_arn,
        "claims_firehose": claims["DeliveryStreamDescription"]["DeliveryStreamARN"],
    }


def _seed_emr(make: ClientMaker) -> dict[str, str]:
    # One research cluster: local disks encrypted (pass), but no TLS between nodes and a
    # primary node with a public address (both fail).
    emr = make("emr", "us-east-1")
    emr.create_security_configuration(
        Name="nwh-disks-only",
        SecurityConfiguration=json.dumps(
            {
                "EncryptionConfiguration": {
                    "EnableAtRestEncryption": True,
                    "EnableInTransitEncryption": False,
                    "AtRestEncryptionConfiguration": {
                        "LocalDiskEncryptionConfiguration": {
                            "EncryptionKeyProviderType": "AwsKms",
                            "AwsKmsKey": "alias/nwh-emr",
                        }
                    },
                }
            }
        ),
    )
    cluster = emr.run_job_flow(
        Name="nwh-research-spark",
        ReleaseLabel="emr-6.15.0",
        Instances={
            "InstanceGroups": [
                {
                    "Name": "primary",
                    "InstanceRole": "MASTER",
                    "InstanceType": "m5.xlarge",
                    "InstanceCount": 1,
                }
            ],
            "KeepJobFlowAliveWhenNoSteps": True,
        },
        SecurityConfiguration="nwh-disks-only",
        Tags=[PHI_TAG],
        **EMR_ROLES,
    )
    # moto stores "off" as on (its handler reads `False or True`), so both regions are on
    # here: us-east-1 with no exception, eu-west-1 with the SSH one. The "off" case is
    # tested with canned answers (tests/providers/aws/test_streams_analytics.py).
    emr.put_block_public_access_configuration(
        BlockPublicAccessConfiguration={"BlockPublicSecurityGroupRules": True}
    )
    make("emr", "eu-west-1").put_block_public_access_configuration(
        BlockPublicAccessConfiguration={
            "BlockPublicSecurityGroupRules": True,
            "PermittedPublicSecurityGroupRuleRanges": [{"MinRange": 22, "MaxRange": 22}],
        }
    )
    # The primary node is an EC2 instance whose root volume the configuration leaves plain
    # (no EnableEbsEncryption): the volume rules see it too.
    primary = emr.list_instances(ClusterId=cluster["JobFlowId"])["Instances"][0]
    described = make("ec2", "us-east-1").describe_instances(InstanceIds=[primary["Ec2InstanceId"]])
    instance = described["Reservations"][0]["Instances"][0]
    volume = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    return {
        "emr_cluster": cluster["ClusterArn"],
        "emr_primary_instance": primary["Ec2InstanceId"],
        "emr_primary_volume": volume,
    }


def _seed_dms(make: ClientMaker) -> dict[str, str]:
    # The migration off the old EHR runs on a private instance (pass); a forgotten test
    # instance was left public (fail).
    dms = make("dms", "us-east-1")
    arns: dict[str, str] = {}
    for name, public in (("nwh-ehr-migration", False), ("nwh-migration-test", True)):
        created = dms.create_replication_instance(
            ReplicationInstanceIdentifier=name,
            ReplicationInstanceClass="dms.t3.medium",
            PubliclyAccessible=public,
            Tags=[PHI_TAG],
        )
        arns[name] = created["ReplicationInstance"]["ReplicationInstanceArn"]
    return {"dms_public": arns["nwh-migration-test"], "dms_private": arns["nwh-ehr-migration"]}


def _seed_graph_db(make: ClientMaker) -> None:
    # Trap: a Neptune cluster exporting its "audit" log on the default parameter group,
    # where neptune_enable_audit_log is off, so the exported log records nothing. (moto
    # has no DocumentDB engine; Neptune comes through the same RDS API.)
    make("rds", "us-east-1").create_db_cluster(
        DBClusterIdentifier="nwh-care-graph",
        Engine="neptune",
        EngineVersion="1.3.2.1",
        StorageEncrypted=True,
        BackupRetentionPeriod=7,
        DeletionProtection=True,
        EnableCloudwatchLogsExports=["audit"],
        Tags=[PHI_TAG],
    )


# moto has no Redshift Serverless backend. Like the Artifact read (`providers.aws.demo`),
# the demo's server answers the three reads the scanner makes itself, with one workgroup:
# publicly accessible and without require_ssl (fail), on a namespace encrypted with the
# AWS-owned key that exports its connection and user logs (pass).
SERVERLESS_TARGET = "RedshiftServerless."
DEMO_REGION = "us-east-1"
DEMO_WORKGROUP = {
    "workgroupName": "nwh-population-health",
    "workgroupArn": (
        f"arn:aws:redshift-serverless:{DEMO_REGION}:{ACCOUNT}:workgroup/nwh-population-health"
    ),
    "workgroupId": "nwh-population-health",
    "namespaceName": "nwh-analytics",
    "publiclyAccessible": True,
    "configParameters": [{"parameterKey": "require_ssl", "parameterValue": "false"}],
    "status": "AVAILABLE",
}
DEMO_NAMESPACE = {
    "namespaceName": "nwh-analytics",
    "namespaceArn": f"arn:aws:redshift-serverless:{DEMO_REGION}:{ACCOUNT}:namespace/nwh-analytics",
    "namespaceId": "nwh-analytics",
    "kmsKeyId": "AWS_OWNED_KMS_KEY",
    "logExports": ["connectionlog", "userlog", "useractivitylog"],
    "status": "AVAILABLE",
}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def serverless_answer(target: str, region: str) -> dict[str, Any] | None:
    """The demo's answer to one Redshift Serverless operation (None: not one it serves)."""
    here = region == DEMO_REGION
    answers: dict[str, dict[str, Any]] = {
        "ListWorkgroups": {"workgroups": [DEMO_WORKGROUP] if here else []},
        "ListNamespaces": {"namespaces": [DEMO_NAMESPACE] if here else []},
        "ListTagsForResource": {"tags": [{"key": "data-class", "value": "phi"}]},
    }
    return answers.get(target.removeprefix(SERVERLESS_TARGET))


def with_redshift_serverless_stub(app: WsgiApp) -> WsgiApp:
    """`app` plus the Redshift Serverless reads the demo needs, answered from constants."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET") or "")
        if target.startswith(SERVERLESS_TARGET):
            answer = serverless_answer(target, _signed_region(environ))
            if answer is not None:
                body = json.dumps(answer).encode()
                start_response(
                    "200 OK",
                    [
                        ("Content-Type", "application/x-amz-json-1.1"),
                        ("Content-Length", str(len(body))),
                    ],
                )
                return [body]
        return app(environ, start_response)

    return serve


def _signed_region(environ: dict[str, Any]) -> str:
    # The region is in the SigV4 credential scope: Credential=KEY/DATE/REGION/SERVICE/...
    auth = str(environ.get("HTTP_AUTHORIZATION") or "")
    scope = auth.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
    return scope[2] if len(scope) > 2 else ""
