"""Demo estate, streams and analytics: Kinesis, Firehose, EMR, DMS and a Neptune cluster.

Seeded into the local fake only (see `providers.aws.demo_estate`). Each service has a
resource that passes and one that fails. Redshift Serverless is absent: moto has no
backend for it, so a demo scan records its listing as a gap.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

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
    return {"emr_cluster": cluster["ClusterArn"]}


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
