"""Lambda collector: functions, their resource policies, function URLs and environment keys.

One ListFunctions per region; then per function GetPolicy (``ResourceNotFoundException``:
no policy, a definite answer), ListFunctionUrlConfigs (every URL of the function and its
aliases) and ListTags (ListFunctions carries no tags, and PHI scope needs them).
Environment variable values are in the ListFunctions answer; only whether there are any is
kept, never a name or a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from providers.aws.messaging_policy import public_policy
from providers.aws.task import AwsTask, fetched_tags
from providers.base import Fanout, collector
from scanner.kinds.workloads import Function
from scanner.model import Resource

NOT_FOUND = frozenset({"ResourceNotFoundException"})


@collector(
    "lambda",
    fanout=Fanout.REGION,
    produces=(Function.KIND,),
    calls={
        "lambda.ListFunctions": "lambda:ListFunctions",
        "lambda.GetPolicy": "lambda:GetPolicy",
        "lambda.ListFunctionUrlConfigs": "lambda:ListFunctionUrlConfigs",
        "lambda.ListTags": "lambda:ListTags",
    },
)
def lambda_functions(task: AwsTask) -> list[Resource[Function]]:
    """Every Lambda function of the region."""
    client = task.client("lambda")
    listed = task.paginate(client, "list_functions", "Functions") or []

    def build(item: Mapping[str, Any]) -> Resource[Function]:
        name = str(item["FunctionName"])
        uid = str(
            item.get("FunctionArn")
            or f"arn:{task.partition}:lambda:{task.region}:{task.account}:function:{name}"
        )
        has_policy, public = _policy(task, client, uid, name)
        tags = fetched_tags(
            task.call(client, "list_tags", resource_uid=uid, Resource=uid),
            lambda f: f.get("Tags", {}),
        )
        environment = item.get("Environment") or {}
        props = Function(
            function_name=name,
            runtime=item.get("Runtime"),
            # An Error instead of Variables: they exist but could not be decrypted for us.
            has_environment=bool(environment.get("Variables") or environment.get("Error")),
            environment_kms_key=item.get("KMSKeyArn") or None,
            has_policy=has_policy,
            public_policy_statements=public,
            url_auth_types=_url_auth_types(task, client, uid, name),
        )
        return task.resource(
            uid=uid,
            kind=Function.KIND,
            native_type="AWS::Lambda::Function",
            name=name,
            tags=tags,
            props=props,
        )

    return task.map(build, listed)


def _policy(
    task: AwsTask, client: Any, uid: str, name: str
) -> tuple[bool | None, tuple[str, ...] | None]:
    fetched = task.call(client, "get_policy", resource_uid=uid, absent=NOT_FOUND, FunctionName=name)
    if fetched.absent:
        return False, ()
    if not fetched.ok:
        return None, None
    return public_policy(task, "GetPolicy", uid, str(fetched.get("Policy", "")))


def _url_auth_types(task: AwsTask, client: Any, uid: str, name: str) -> tuple[str, ...] | None:
    configs = task.paginate(
        client,
        "list_function_url_configs",
        "FunctionUrlConfigs",
        resource_uid=uid,
        FunctionName=name,
    )
    if configs is None:
        return None
    return tuple(sorted({str(c.get("AuthType", "")) for c in configs}))
