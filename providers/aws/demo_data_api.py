"""The demo estate's APIs, search domains, caches and ML notebooks (issue 11, group D).

Each service gets a hardened resource and a violating one, plus near misses: an
OpenSearch policy open to ``*`` but pinned to the hospital's network by ``aws:SourceIp``
(not public), a private REST API without a web ACL (nothing to shield from the internet),
an HTTP API (which cannot have a web ACL or execution logs) and a Memcached cache (which
can neither encrypt at rest nor authenticate clients).
"""

from __future__ import annotations

import json
from typing import Any

from providers.aws.demo_estate import PHI_TAG, ClientMaker

REGION = "us-east-1"
ACCOUNT = "123456789012"
LOG_GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group"
ML_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/nwh-ml"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/nwh-sagemaker"


def seed_data_api(make: ClientMaker) -> dict[str, str]:
    """Seed group D's services; returns the ids the fake generated, by role."""
    ids = seed_apis(make)
    seed_search(make)
    seed_caches(make)
    seed_ml(make)
    return ids


def seed_apis(make: ClientMaker) -> dict[str, str]:
    """REST APIs (public and private), an HTTP API, two custom domains, one web ACL."""
    rest = make("apigateway", REGION)
    portal = rest.create_rest_api(
        name="nwh-patient-api",
        endpointConfiguration={"types": ["REGIONAL"]},
        tags={PHI_TAG["Key"]: PHI_TAG["Value"]},
    )["id"]
    _deploy(rest, portal, "prod")
    rest.update_stage(
        restApiId=portal,
        stageName="prod",
        patchOperations=[
            {
                "op": "replace",
                "path": "/accessLogSettings/destinationArn",
                "value": f"{LOG_GROUP}:/nwh/api/access",
            },
            {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId"},
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"},
        ],
    )
    # Trap: a staging stage of the same PHI API with no logs and no firewall.
    rest.create_stage(
        restApiId=portal,
        stageName="staging",
        deploymentId=rest.get_stages(restApiId=portal)["item"][0]["deploymentId"],
    )
    waf = make("wafv2", REGION)
    acl = waf.create_web_acl(
        Name="nwh-api-waf",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": "nwh-api-waf",
        },
    )["Summary"]["ARN"]
    waf.associate_web_acl(
        WebACLArn=acl, ResourceArn=f"arn:aws:apigateway:{REGION}::/restapis/{portal}/stages/prod"
    )
    # Decoy: a private API needs no web ACL; it logs everything.
    internal = rest.create_rest_api(
        name="nwh-internal-api", endpointConfiguration={"types": ["PRIVATE"]}
    )["id"]
    _deploy(rest, internal, "prod")
    rest.update_stage(
        restApiId=internal,
        stageName="prod",
        patchOperations=[
            {
                "op": "replace",
                "path": "/accessLogSettings/destinationArn",
                "value": f"{LOG_GROUP}:/nwh/internal-api/access",
            },
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
        ],
    )
    rest.create_domain_name(
        domainName="api.nwh.example",
        regionalCertificateArn=f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/nwh-api",
        endpointConfiguration={"types": ["REGIONAL"]},
        securityPolicy="TLS_1_2",
    )
    http = make("apigatewayv2", REGION)
    scheduling = http.create_api(Name="nwh-scheduling-http", ProtocolType="HTTP")["ApiId"]
    http.create_stage(ApiId=scheduling, StageName="$default")
    # Trap: the scheduling API's legacy domain still accepts TLS 1.0.
    rest.create_domain_name(
        domainName="legacy-scheduling.nwh.example",
        regionalCertificateArn=f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/nwh-legacy",
        endpointConfiguration={"types": ["REGIONAL"]},
        securityPolicy="TLS_1_0",
    )
    return {
        "patient_api": portal,
        "internal_api": internal,
        "scheduling_api": scheduling,
        "api_web_acl": acl,
    }


def _deploy(rest: Any, api: str, stage: str) -> None:
    root = rest.get_resources(restApiId=api)["items"][0]["id"]
    rest.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    rest.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    rest.create_deployment(restApiId=api, stageName=stage)


def _search_policy(domain: str, **condition: Any) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": "es:*",
        "Resource": f"arn:aws:es:{REGION}:{ACCOUNT}:domain/{domain}/*",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def seed_search(make: ClientMaker) -> None:
    """A hardened clinical search domain and a legacy Elasticsearch domain open to anyone."""
    search = make("opensearch", REGION)
    search.create_domain(
        DomainName="nwh-clinical-search",
        EngineVersion="OpenSearch_2.11",
        EncryptionAtRestOptions={"Enabled": True},
        NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={
            "EnforceHTTPS": True,
            "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10",
        },
        LogPublishingOptions={
            "AUDIT_LOGS": {
                "CloudWatchLogsLogGroupArn": f"{LOG_GROUP}:/nwh/search/audit",
                "Enabled": True,
            }
        },
        # Decoy: "Principal *" pinned to the hospital's own network is not public.
        AccessPolicies=_search_policy(
            "nwh-clinical-search", IpAddress={"aws:SourceIp": ["10.20.0.0/16"]}
        ),
        TagList=[PHI_TAG],
    )
    search.create_domain(
        DomainName="nwh-legacy-es",
        EngineVersion="Elasticsearch_7.10",
        DomainEndpointOptions={
            "EnforceHTTPS": False,
            "TLSSecurityPolicy": "Policy-Min-TLS-1-0-2019-07",
        },
        AccessPolicies=_search_policy("nwh-legacy-es"),
        TagList=[PHI_TAG],
    )


def seed_caches(make: ClientMaker) -> None:
    """A hardened Redis session cache, a Memcached lookup cache, an open MemoryDB cluster."""
    cache = make("elasticache", REGION)
    cache.create_replication_group(
        ReplicationGroupId="nwh-session-cache",
        ReplicationGroupDescription="patient portal sessions",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        TransitEncryptionEnabled=True,
        AtRestEncryptionEnabled=True,
        AuthToken="demo-only-auth-token-0123456789",  # a fake's token, demo only
        SnapshotRetentionLimit=7,
        Tags=[PHI_TAG],
    )
    cache.create_cache_cluster(
        CacheClusterId="nwh-lookup-cache",
        Engine="memcached",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
        TransitEncryptionEnabled=False,
        Tags=[PHI_TAG],
    )
    make("memorydb", "eu-west-1").create_cluster(
        ClusterName="nwh-events-db",
        NodeType="db.t4g.small",
        ACLName="open-access",
        TLSEnabled=True,
        SnapshotRetentionLimit=0,
        Tags=[PHI_TAG],
    )


def seed_ml(make: ClientMaker) -> None:
    """A locked-down research notebook, a scratch notebook, two endpoint configurations."""
    sagemaker = make("sagemaker", REGION)
    sagemaker.create_notebook_instance(
        NotebookInstanceName="nwh-research-notebook",
        InstanceType="ml.t3.medium",
        RoleArn=ROLE,
        KmsKeyId=ML_KEY,
        SubnetId="subnet-0nwhresearch",
        SecurityGroupIds=["sg-0nwhresearch"],
        DirectInternetAccess="Disabled",
        RootAccess="Disabled",
        Tags=[PHI_TAG],
    )
    sagemaker.create_notebook_instance(
        NotebookInstanceName="nwh-ds-scratch",
        InstanceType="ml.t3.medium",
        RoleArn=ROLE,
        DirectInternetAccess="Enabled",
        RootAccess="Enabled",
        Tags=[PHI_TAG],
    )
    sagemaker.create_model(
        ModelName="nwh-readmission",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/readmission:1"},
    )
    variants = [
        {
            "VariantName": "main",
            "ModelName": "nwh-readmission",
            "InitialInstanceCount": 1,
            "InstanceType": "ml.m5.large",
        }
    ]
    sagemaker.create_endpoint_config(
        EndpointConfigName="nwh-readmission-v2", ProductionVariants=variants, KmsKeyId=ML_KEY
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="nwh-readmission-v1", ProductionVariants=variants
    )
