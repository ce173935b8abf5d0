"""SageMaker collectors under moto: notebook instances and endpoint configurations.

moto keeps the key, internet-access and root-access settings and answers ListTags. It
omits RootAccess when it was not given at creation (real SageMaker always reports it):
the "default" notebook here shows that an absent answer is UNKNOWN, never a pass.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.sagemaker import switch
from providers.base import CallCounter
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
RULES = ("EAR-NOTEBOOK-01", "PUB-NOTEBOOK-01", "IAM-NOTEBOOK-01", "EAR-MLENDPOINT-01")
P, F, U = "PASS", "FAIL", "UNKNOWN"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/sm"
KEY = f"arn:aws:kms:{US}:{ACCOUNT}:key/1234abcd-0000-0000-0000-000000000000"


def notebook(name: str, region: str = US) -> str:
    return f"arn:aws:sagemaker:{region}:{ACCOUNT}:notebook-instance/{name}"


def config(name: str) -> str:
    return f"arn:aws:sagemaker:{US}:{ACCOUNT}:endpoint-config/{name}"


def seed() -> None:
    us = boto3.client("sagemaker", US)
    us.create_notebook_instance(
        NotebookInstanceName="locked",
        InstanceType="ml.t3.medium",
        RoleArn=ROLE,
        KmsKeyId=KEY,
        SubnetId="subnet-0abc",
        SecurityGroupIds=["sg-0abc"],
        DirectInternetAccess="Disabled",
        RootAccess="Disabled",
        Tags=[{"Key": "data-class", "Value": "phi"}],
    )
    us.create_notebook_instance(
        NotebookInstanceName="open",
        InstanceType="ml.t3.medium",
        RoleArn=ROLE,
        DirectInternetAccess="Enabled",
        RootAccess="Enabled",
    )
    boto3.client("sagemaker", EU).create_notebook_instance(
        NotebookInstanceName="default", InstanceType="ml.t3.medium", RoleArn=ROLE
    )
    us.create_model(
        ModelName="m",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": f"{ACCOUNT}.dkr.ecr.{US}.amazonaws.com/m:1"},
    )
    variants = [
        {
            "VariantName": "v",
            "ModelName": "m",
            "InitialInstanceCount": 1,
            "InstanceType": "ml.m5.large",
        }
    ]
    us.create_endpoint_config(EndpointConfigName="keyed", ProductionVariants=variants, KmsKeyId=KEY)
    us.create_endpoint_config(EndpointConfigName="unkeyed", ProductionVariants=variants)


@pytest.fixture(scope="module")
def estate() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        env.delenv("AWS_PROFILE", raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        with mock_aws():
            seed()
            yield


EXPECTED = {
    ("EAR-NOTEBOOK-01", notebook("locked"), P),
    ("PUB-NOTEBOOK-01", notebook("locked"), P),
    ("IAM-NOTEBOOK-01", notebook("locked"), P),
    ("EAR-NOTEBOOK-01", notebook("open"), F),
    ("PUB-NOTEBOOK-01", notebook("open"), F),
    ("IAM-NOTEBOOK-01", notebook("open"), F),
    # Created with defaults: no key and direct internet access; RootAccess not reported.
    ("EAR-NOTEBOOK-01", notebook("default", EU), F),
    ("PUB-NOTEBOOK-01", notebook("default", EU), F),
    ("IAM-NOTEBOOK-01", notebook("default", EU), U),
    ("EAR-MLENDPOINT-01", config("keyed"), P),
    ("EAR-MLENDPOINT-01", config("unkeyed"), F),
}


def test_exact_outcomes_facts_and_call_counts(estate: None) -> None:
    counter = CallCounter()
    snapshot = scan(["sagemaker"], counter=counter)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == EXPECTED
    found = by_uid(snapshot, "ml.notebook")
    assert found[notebook("locked")].tags == {"data-class": "phi"}
    assert found[notebook("locked")].props.subnet_id == "subnet-0abc"
    assert {k: v for k, v in counter.counts.items() if k.startswith("sagemaker")} == {
        "sagemaker.ListNotebookInstances": 2,
        "sagemaker.DescribeNotebookInstance": 3,
        "sagemaker.ListEndpointConfigs": 2,
        "sagemaker.DescribeEndpointConfig": 2,
        "sagemaker.ListTags": 5,
    }


def test_denied_describe_is_unknown_for_that_resource(estate: None) -> None:
    with failing("sagemaker.DescribeNotebookInstance", "sagemaker.DescribeEndpointConfig"):
        snapshot = scan(["sagemaker"])
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeNotebookInstance", notebook("locked")),
        ("DescribeNotebookInstance", notebook("open")),
        ("DescribeNotebookInstance", notebook("default", EU)),
        ("DescribeEndpointConfig", config("keyed")),
        ("DescribeEndpointConfig", config("unkeyed")),
    }
    assert outcomes(snapshot, RULES) == {(r, uid, U) for r, uid, _ in EXPECTED}


@pytest.mark.parametrize(
    ("value", "flag"),
    [("Enabled", True), ("Disabled", False), ("enabled", True), (None, None), ("Maybe", None)],
)
def test_switch(value: str | None, flag: bool | None) -> None:
    assert switch(value) is flag
