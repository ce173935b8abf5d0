"""SageMaker notebook instances and endpoint configurations.

The listings carry only names: each notebook needs DescribeNotebookInstance (key,
internet access, root access) and each endpoint configuration DescribeEndpointConfig
(key); ListTags per resource reads the tags PHI scope needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.data_api import MlEndpointConfig, MlNotebook
from scanner.model import Resource


def switch(value: Any) -> bool | None:
    """SageMaker's ``Enabled``/``Disabled`` strings as a bool (None when absent or odd)."""
    text = str(value).lower() if value is not None else ""
    return {"enabled": True, "disabled": False}.get(text)


def _tags(task: AwsTask, client: Any, uid: str) -> dict[str, str] | None:
    return fetched_tags(
        task.call(client, "list_tags", resource_uid=uid, ResourceArn=uid),
        lambda f: tag_dict(f.get("Tags", [])),
    )


@collector(
    "sagemaker",
    fanout=Fanout.REGION,
    produces=(MlNotebook.KIND,),
    calls={
        "sagemaker.ListNotebookInstances": "sagemaker:ListNotebookInstances",
        "sagemaker.DescribeNotebookInstance": "sagemaker:DescribeNotebookInstance",
        "sagemaker.ListTags": "sagemaker:ListTags",
    },
)
def notebook_instances(task: AwsTask) -> Iterator[Resource[MlNotebook]]:
    """Every SageMaker notebook instance of the region."""
    client = task.client("sagemaker")
    listed = task.paginate(client, "list_notebook_instances", "NotebookInstances") or []

    def build(item: Mapping[str, Any]) -> Resource[MlNotebook]:
        name = str(item["NotebookInstanceName"])
        uid = str(item["NotebookInstanceArn"])
        fetched = task.call(
            client, "describe_notebook_instance", resource_uid=uid, NotebookInstanceName=name
        )
        return task.resource(
            uid=uid,
            kind=MlNotebook.KIND,
            native_type="AWS::SageMaker::NotebookInstance",
            name=name,
            tags=_tags(task, client, uid),
            props=MlNotebook(
                described=fetched.ok,
                kms_key_id=fetched.get("KmsKeyId"),
                direct_internet_access=switch(fetched.get("DirectInternetAccess")),
                root_access=switch(fetched.get("RootAccess")),
                subnet_id=fetched.get("SubnetId"),
            ),
        )

    yield from task.map(build, listed)


@collector(
    "sagemaker",
    fanout=Fanout.REGION,
    produces=(MlEndpointConfig.KIND,),
    calls={
        "sagemaker.ListEndpointConfigs": "sagemaker:ListEndpointConfigs",
        "sagemaker.DescribeEndpointConfig": "sagemaker:DescribeEndpointConfig",
        "sagemaker.ListTags": "sagemaker:ListTags",
    },
)
def endpoint_configs(task: AwsTask) -> Iterator[Resource[MlEndpointConfig]]:
    """Every SageMaker endpoint configuration of the region."""
    client = task.client("sagemaker")
    listed = task.paginate(client, "list_endpoint_configs", "EndpointConfigs") or []

    def build(item: Mapping[str, Any]) -> Resource[MlEndpointConfig]:
        name = str(item["EndpointConfigName"])
        uid = str(item["EndpointConfigArn"])
        fetched = task.call(
            client, "describe_endpoint_config", resource_uid=uid, EndpointConfigName=name
        )
        return task.resource(
            uid=uid,
            kind=MlEndpointConfig.KIND,
            native_type="AWS::SageMaker::EndpointConfig",
            name=name,
            tags=_tags(task, client, uid),
            props=MlEndpointConfig(described=fetched.ok, kms_key_id=fetched.get("KmsKeyId")),
        )

    yield from task.map(build, listed)
