"""The scanner is read-only: every call it declares and every call it makes is a read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from providers.aws.demo_estate import seed
from providers.aws.plugin import READ_ONLY_PREFIXES
from providers.aws.provider import CORE_CALLS, all_collectors, permissions
from providers.base import CallCounter
from tests.providers.aws.helpers import REGIONS, scan

# sts:AssumeRole mutates nothing in the scanned account; it only mints the read-only
# session that --role-arn and --org need.
NON_READ_ALLOWED = {"sts.AssumeRole"}


def test_every_declared_call_is_read_only() -> None:
    declared = permissions()
    assert declared, "no collector declares any call"
    for call, permission in declared.items():
        service, operation = call.split(".")
        iam_service, action = permission.split(":")
        assert call in NON_READ_ALLOWED or operation.startswith(READ_ONLY_PREFIXES), call
        assert call in NON_READ_ALLOWED or action.startswith(READ_ONLY_PREFIXES), permission
        assert iam_service and service


def test_collectors_have_unique_names_and_declare_calls() -> None:
    collectors = all_collectors()
    names = [(c.service, c.name) for c in collectors]
    assert len(names) == len(set(names))
    assert all(c.calls for c in collectors)
    assert set(CORE_CALLS) <= set(permissions())


@pytest.fixture
def seeded_demo() -> Iterator[None]:
    with mock_aws(config={"iam": {"load_aws_managed_policies": True}}):
        seed(None)
        yield


def test_a_full_scan_makes_only_declared_calls(seeded_demo: None) -> None:
    counter = CallCounter()
    snapshot = scan([c.service for c in all_collectors()], REGIONS, counter=counter)
    made = set(counter.counts)
    assert made, "the scan made no call"
    undeclared = made - set(permissions())
    assert undeclared == set()
    # Only APIs moto lacks may fail on a full scan of the demo estate (Systems Manager's
    # inventory is read by the ec2 collector, so its gap is recorded under ec2).
    assert {(g.service, g.operation) for g in snapshot.gaps} <= {
        ("artifact", "ListCustomerAgreements"),
        ("backup", "ListProtectedResources"),
        ("accessanalyzer", "ListAnalyzers"),
        ("wafv2", "ListResourcesForWebACL"),
        ("ec2", "DescribeInstanceInformation"),
        ("lambda", "ListFunctionUrlConfigs"),
        ("redshift-serverless", "ListWorkgroups"),
    }


# Every API call of a full scan of the demo estate (2 regions), by operation. Per-region
# listings appear twice; per-resource reads once per resource: 8 buckets, 2 IAM users (one
# access key), 1 trail, 4 KMS keys, 2 tables, 2 topics, 1 queue, 2 log groups, 3 ALBs, 2
# CloudFront distributions, 1 custom DB parameter group, 1 manual DB snapshot, 1 Redshift
# cluster, 1 EFS file system, 1 GuardDuty detector.
PER_REGION = 2
EXPECTED_CALLS = {
    "sts.GetCallerIdentity": 1,
    "artifact.ListCustomerAgreements": 1,
    "s3.ListBuckets": 1,
    "s3control.GetPublicAccessBlock": 1,
    **{
        f"s3.{op}": 8
        for op in (
            "GetBucketAcl",
            "GetBucketEncryption",
            "GetBucketLocation",
            "GetBucketLogging",
            "GetBucketPolicy",
            "GetBucketTagging",
            "GetBucketVersioning",
            "GetPublicAccessBlock",
            "GetBucketOwnershipControls",
        )
    },
    "iam.GetAccountAuthorizationDetails": 1,
    "iam.GetAccountPasswordPolicy": 1,
    "iam.GetAccountSummary": 1,
    "iam.GetCredentialReport": 1,
    "iam.ListAccessKeys": 2,
    "iam.GetLoginProfile": 2,
    "iam.ListMFADevices": 2,
    "iam.GetAccessKeyLastUsed": 1,
    "cloudtrail.DescribeTrails": PER_REGION,
    "cloudtrail.GetTrailStatus": 1,
    "cloudtrail.GetEventSelectors": 1,
    # The S3 collector asks DescribeKey once for the one bucket key; the KMS collector once
    # per key (4); rotation status only for the 3 enabled ones (one is pending deletion).
    "kms.ListKeys": PER_REGION,
    "kms.DescribeKey": 5,
    "kms.GetKeyPolicy": 4,
    "kms.GetKeyRotationStatus": 3,
    "kms.ListResourceTags": 4,
    "kms.ListAliases": 1,
    "dynamodb.ListTables": PER_REGION,
    "dynamodb.DescribeTable": 2,
    "dynamodb.DescribeContinuousBackups": 2,
    "dynamodb.ListTagsOfResource": 2,
    "sns.ListTopics": PER_REGION,
    "sns.GetTopicAttributes": 2,
    "sns.ListTagsForResource": 2,
    "sns.ListSubscriptionsByTopic": 2,
    "sqs.ListQueues": PER_REGION,
    "sqs.GetQueueAttributes": 1,
    "sqs.ListQueueTags": 1,
    "logs.DescribeLogGroups": PER_REGION,
    "logs.ListTagsForResource": 2,
    "config.DescribeConfigurationRecorders": PER_REGION,
    "config.DescribeConfigurationRecorderStatus": PER_REGION,
    "guardduty.ListDetectors": PER_REGION,
    "guardduty.GetDetector": 1,
    **{
        f"ec2.{op}": PER_REGION
        for op in (
            "DescribeFlowLogs",
            "DescribeSecurityGroups",
            "DescribeSnapshots",
            "DescribeVolumes",
            "DescribeSubnets",
            "DescribeVpcs",
            "GetEbsEncryptionByDefault",
        )
    },
    # One customer-managed prefix list named by a security group, read once.
    "ec2.GetManagedPrefixListEntries": 1,
    "elb.DescribeLoadBalancers": PER_REGION,
    "elbv2.DescribeLoadBalancers": PER_REGION,
    # Three ALBs; rules only for the two HTTP listeners whose default does not forward.
    "elbv2.DescribeListeners": 3,
    "elbv2.DescribeLoadBalancerAttributes": 3,
    "elbv2.DescribeTags": 1,
    "elbv2.DescribeRules": 2,
    "cloudfront.ListDistributions": 1,
    "cloudfront.GetDistributionConfig": 2,
    "cloudfront.ListTagsForResource": 2,
    "logs.DescribeDeliverySources": 1,
    "logs.DescribeDeliveries": 1,
    "rds.DescribeDBInstances": PER_REGION,
    "rds.DescribeDBClusters": PER_REGION,
    "rds.DescribeDBSnapshots": PER_REGION,
    "rds.DescribeDBClusterSnapshots": PER_REGION,
    "rds.DescribeDBParameters": 1,
    "rds.DescribeDBSnapshotAttributes": 1,
    "redshift.DescribeClusters": PER_REGION,
    "redshift.DescribeClusterParameters": 1,
    "redshift.DescribeLoggingStatus": 1,
    "efs.DescribeFileSystems": PER_REGION,
    "efs.DescribeFileSystemPolicy": 1,
    "efs.DescribeBackupPolicy": 1,
    # Issue 11, group A (backup, secrets, IAM extras). One ListUsers (console-password use)
    # and one virtual-MFA listing per account; 2 backup plans, 2 vaults (tags read once
    # each; moto reports no recovery points, so none is listed); 2 secrets.
    "iam.ListUsers": 1,
    "iam.ListVirtualMFADevices": 1,
    "backup.ListBackupPlans": PER_REGION,
    "backup.GetBackupPlan": 2,
    "backup.ListBackupVaults": PER_REGION,
    "backup.ListTags": 2,
    "backup.ListProtectedResources": PER_REGION,
    "secretsmanager.ListSecrets": PER_REGION,
    "secretsmanager.GetResourcePolicy": 2,
    # Object Lock, read once per bucket (8).
    "s3.GetObjectLockConfiguration": 8,
    # Group B (monitoring-edge): per-region singletons read once per region; two imported
    # certificates, neither in use (no DescribeCertificate); three web ACLs in us-east-1 (the
    # third guards group D's API stage), one association listing each. moto has no Access
    # Analyzer: ListAnalyzers fails in both regions, so no ListFindings.
    "securityhub.DescribeHub": PER_REGION,
    "accessanalyzer.ListAnalyzers": PER_REGION,
    # The account's organization (none on moto), once per account.
    "organizations.DescribeOrganization": 1,
    "logs.DescribeMetricFilters": PER_REGION,
    "cloudwatch.DescribeAlarms": PER_REGION,
    "acm.ListCertificates": PER_REGION,
    "wafv2.ListWebACLs": PER_REGION,
    "wafv2.ListLoggingConfigurations": PER_REGION,
    "wafv2.ListResourcesForWebACL": 3,
    # Issue 11 group C (compute): instances (2, us-east-1 only, so one inventory read),
    # images (2; their 2 snapshots are the account's first, read once each), network ACLs,
    # subnets (from the VPC collector's listing: no call), 2 functions, 2 repositories (the
    # registry's scanning configuration once, in the region holding them), 2 clusters.
    "ec2.DescribeInstances": PER_REGION,
    "ec2.DescribeImages": PER_REGION,
    "ec2.DescribeNetworkAcls": PER_REGION,
    "ec2.DescribeSnapshotAttribute": 2,
    "ssm.DescribeInstanceInformation": 1,
    "lambda.ListFunctions": PER_REGION,
    "lambda.GetPolicy": 2,
    "lambda.ListFunctionUrlConfigs": 2,
    "lambda.ListTags": 2,
    "ecr.DescribeRepositories": PER_REGION,
    "ecr.GetRegistryScanningConfiguration": 1,
    "ecr.GetRepositoryPolicy": 2,
    "ecr.ListTagsForResource": 2,
    "eks.ListClusters": PER_REGION,
    "eks.DescribeCluster": 2,
    # Issue 11 group D (data-api): two REST APIs and one HTTP API (one GetStages each), two
    # search domains (one DescribeDomains batch), a Redis group and a Memcached cluster, one
    # MemoryDB cluster, two notebooks and two endpoint configurations; tags per resource.
    "apigateway.GetRestApis": PER_REGION,
    "apigateway.GetStages": 2,
    "apigateway.GetDomainNames": PER_REGION,
    "apigatewayv2.GetApis": PER_REGION,
    "apigatewayv2.GetStages": 1,
    "opensearch.ListDomainNames": PER_REGION,
    "opensearch.DescribeDomains": 1,
    "opensearch.ListTags": 2,
    "elasticache.DescribeReplicationGroups": PER_REGION,
    "elasticache.DescribeCacheClusters": PER_REGION,
    "elasticache.ListTagsForResource": 2,
    "memorydb.DescribeClusters": PER_REGION,
    "memorydb.ListTags": 1,
    "sagemaker.ListNotebookInstances": PER_REGION,
    "sagemaker.DescribeNotebookInstance": 2,
    "sagemaker.ListEndpointConfigs": PER_REGION,
    "sagemaker.DescribeEndpointConfig": 2,
    "sagemaker.ListTags": 4,
    # Group E (streams and analytics): 2 data streams, 2 delivery streams, 1 active EMR
    # cluster with 1 security configuration, 2 DMS replication instances; the Neptune
    # cluster is on a default parameter group (nothing more to read). moto has no Redshift
    # Serverless: ListWorkgroups fails in each region, so ListNamespaces is never asked.
    "kinesis.ListStreams": PER_REGION,
    "kinesis.DescribeStreamSummary": 2,
    "kinesis.ListTagsForStream": 2,
    "firehose.ListDeliveryStreams": PER_REGION,
    "firehose.DescribeDeliveryStream": 2,
    "firehose.ListTagsForDeliveryStream": 2,
    "emr.GetBlockPublicAccessConfiguration": PER_REGION,
    "emr.ListClusters": PER_REGION,
    "emr.DescribeCluster": 1,
    "emr.ListInstances": 1,
    "emr.DescribeSecurityConfiguration": 1,
    "dms.DescribeReplicationInstances": PER_REGION,
    "dms.ListTagsForResource": 2,
    "redshift-serverless.ListWorkgroups": PER_REGION,
}


def test_a_full_scan_makes_one_call_per_resource_per_fact(seeded_demo: None) -> None:
    counter = CallCounter()
    scan([c.service for c in all_collectors()], REGIONS, counter=counter)
    assert dict(counter.counts) == EXPECTED_CALLS
