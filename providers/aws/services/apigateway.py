"""API Gateway: REST, HTTP and WebSocket API stages, and custom domain names.

Per region: GetRestApis (REST) and GetApis (HTTP and WebSocket), then one GetStages per
API, whose answer already carries each stage's access-log settings, method settings and
(REST) attached web ACL, so no per-stage call is needed. Custom domains come from
the REST GetDomainNames, which lists the domains of every API type.

An API whose GetStages fails gets one stand-in stage, ``<api>/stages/*`` with `unlisted`
set and every stage fact None, so the stage rules say UNKNOWN for that API (a failed
listing of the APIs themselves stays a region-wide listing gap).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner.kinds.data_api import ApiDomain, ApiStage
from scanner.model import Resource

# Execution-log levels that record every method call (OFF records nothing).
LOGGING_ON = frozenset({"ERROR", "INFO"})
ALL_METHODS = "*/*"


def api_tls_version(policy: str | None) -> str | None:
    """The lowest TLS version an API Gateway security policy accepts (None if unknown).

    ``TLS_1_0`` and ``TLS_1_2`` are the classic names; the enhanced policies read
    ``SecurityPolicy_TLS13_1_3_2025_09`` or ``SecurityPolicy_TLS12_PFS_2025_EDGE``, where
    the part after ``TLS13_``/``TLS12_`` (or the family itself) is the minimum.
    """
    if not policy:
        return None
    name = policy.upper()
    if name == "TLS_1_0":
        return "1.0"
    if name == "TLS_1_2":
        return "1.2"
    if name.startswith("SECURITYPOLICY_TLS13_1_3"):
        return "1.3"
    if name.startswith("SECURITYPOLICY_TLS13_1_2") or name.startswith("SECURITYPOLICY_TLS12"):
        return "1.2"
    return None


def rest_execution_logging(
    method_settings: Mapping[str, Mapping[str, Any]],
) -> tuple[bool, str | None]:
    """(every method logged, the ``*/*`` level) from a REST stage's method settings.

    Logging is on when the stage-wide ``*/*`` level is ERROR or INFO and no method
    overrides it to OFF; a stage without ``*/*`` settings logs nothing.
    """
    default = method_settings.get(ALL_METHODS) or {}
    level = default.get("loggingLevel")
    level = None if level is None else str(level).upper()
    overrides_off = any(
        str(settings.get("loggingLevel", level or "OFF")).upper() not in LOGGING_ON
        for path, settings in method_settings.items()
        if path != ALL_METHODS
    )
    return level in LOGGING_ON and not overrides_off, level


def _access_log(settings: Mapping[str, Any] | None, key: str) -> tuple[bool, str | None]:
    destination = (settings or {}).get(key)
    return (True, str(destination)) if destination else (False, None)


def _merge_tags(*tag_maps: Mapping[str, str] | None) -> dict[str, str]:
    merged: dict[str, str] = {}
    for tags in tag_maps:
        merged.update(tags or {})
    return merged


@collector(
    "apigateway",
    fanout=Fanout.REGION,
    produces=(ApiStage.KIND,),
    calls={
        "apigateway.GetRestApis": "apigateway:GET",
        "apigateway.GetStages": "apigateway:GET",
    },
)
def rest_api_stages(task: AwsTask) -> Iterator[Resource[ApiStage]]:
    """Every stage of every REST API in the region."""
    client = task.client("apigateway")
    apis = task.paginate(client, "get_rest_apis", "items") or []

    def stages_of(api: Mapping[str, Any]) -> list[Resource[ApiStage]]:
        api_id = str(api["id"])
        api_uid = f"arn:{task.partition}:apigateway:{task.region}::/restapis/{api_id}"
        types = tuple((api.get("endpointConfiguration") or {}).get("types") or ())
        private = None if not types else types == ("PRIVATE",)
        fetched = task.call(
            client, "get_stages", resource_uid=unlisted_uid(api_uid), restApiId=api_id
        )
        if fetched.failed:
            # Its stages are hidden, not absent: a stand-in says so for this API, even
            # when other APIs' stages of the region were read.
            return [_unlisted_rest(task, api, api_uid, private)]
        return [_rest_stage(task, api, api_uid, private, s) for s in fetched.get("item", [])]

    for built in task.map(stages_of, apis):
        yield from built


def unlisted_uid(api_uid: str) -> str:
    """The uid of the stand-in for the stages of an API that could not be listed."""
    return f"{api_uid}/stages/*"


def _unlisted(
    task: AwsTask, api_uid: str, native_type: str, api_name: str, props: ApiStage
) -> Resource[ApiStage]:
    return task.resource(
        uid=unlisted_uid(api_uid),
        kind=ApiStage.KIND,
        native_type=native_type,
        name=f"{api_name}/*",
        # The stages' own tags are unknown: in every --phi-tag scope (fail closed).
        tags=None,
        props=props,
    )


def _unlisted_rest(
    task: AwsTask, api: Mapping[str, Any], api_uid: str, private: bool | None
) -> Resource[ApiStage]:
    name = str(api.get("name") or api["id"])
    props = ApiStage(
        api_id=str(api["id"]),
        api_name=api.get("name"),
        protocol="rest",
        stage_name="*",
        private=private,
        access_logging=None,
        access_log_destination=None,
        execution_log_supported=True,
        execution_logging=None,
        execution_log_level=None,
        waf_supported=True,
        waf_acl=None,
        unlisted=True,
    )
    return _unlisted(task, api_uid, "AWS::ApiGateway::Stage", name, props)


def _rest_stage(
    task: AwsTask,
    api: Mapping[str, Any],
    api_uid: str,
    private: bool | None,
    stage: Mapping[str, Any],
) -> Resource[ApiStage]:
    name = str(stage["stageName"])
    logging, level = rest_execution_logging(stage.get("methodSettings") or {})
    access, destination = _access_log(stage.get("accessLogSettings"), "destinationArn")
    return task.resource(
        uid=f"{api_uid}/stages/{name}",
        kind=ApiStage.KIND,
        native_type="AWS::ApiGateway::Stage",
        name=f"{api.get('name') or api['id']}/{name}",
        tags=_merge_tags(api.get("tags"), stage.get("tags")),
        props=ApiStage(
            api_id=str(api["id"]),
            api_name=api.get("name"),
            protocol="rest",
            stage_name=name,
            private=private,
            access_logging=access,
            access_log_destination=destination,
            execution_log_supported=True,
            execution_logging=logging,
            execution_log_level=level,
            waf_supported=True,
            waf_acl=str(stage.get("webAclArn") or ""),
        ),
    )


@collector(
    "apigatewayv2",
    fanout=Fanout.REGION,
    produces=(ApiStage.KIND,),
    calls={
        "apigatewayv2.GetApis": "apigateway:GET",
        "apigatewayv2.GetStages": "apigateway:GET",
    },
)
def http_api_stages(task: AwsTask) -> Iterator[Resource[ApiStage]]:
    """Every stage of every HTTP and WebSocket API in the region.

    Neither protocol can be associated with AWS WAF, and HTTP APIs write no execution
    log: those facts are "not supported", not failures.
    """
    client = task.client("apigatewayv2")
    apis = task.paginate(client, "get_apis", "Items") or []

    def stages_of(api: Mapping[str, Any]) -> list[Resource[ApiStage]]:
        api_id = str(api["ApiId"])
        api_uid = f"arn:{task.partition}:apigateway:{task.region}::/apis/{api_id}"
        stages = task.paginate(
            client, "get_stages", "Items", resource_uid=unlisted_uid(api_uid), ApiId=api_id
        )
        if stages is None:
            return [_unlisted_v2(task, api, api_uid)]
        return [_v2_stage(task, api, api_uid, s) for s in stages]

    for built in task.map(stages_of, apis):
        yield from built


def _unlisted_v2(task: AwsTask, api: Mapping[str, Any], api_uid: str) -> Resource[ApiStage]:
    websocket = str(api.get("ProtocolType", "")).upper() == "WEBSOCKET"
    props = ApiStage(
        api_id=str(api["ApiId"]),
        api_name=api.get("Name"),
        protocol="websocket" if websocket else "http",
        stage_name="*",
        private=False,
        access_logging=None,
        access_log_destination=None,
        execution_log_supported=websocket,
        execution_logging=None,
        execution_log_level=None,
        waf_supported=False,
        waf_acl=None,
        unlisted=True,
    )
    name = str(api.get("Name") or api["ApiId"])
    return _unlisted(task, api_uid, "AWS::ApiGatewayV2::Stage", name, props)


def _v2_stage(
    task: AwsTask, api: Mapping[str, Any], api_uid: str, stage: Mapping[str, Any]
) -> Resource[ApiStage]:
    name = str(stage["StageName"])
    websocket = str(api.get("ProtocolType", "")).upper() == "WEBSOCKET"
    access, destination = _access_log(stage.get("AccessLogSettings"), "DestinationArn")
    level: str | None = None
    logging: bool | None = None
    if websocket:
        raw = (stage.get("DefaultRouteSettings") or {}).get("LoggingLevel")
        level = None if raw is None else str(raw).upper()
        logging = level in LOGGING_ON
    return task.resource(
        uid=f"{api_uid}/stages/{name}",
        kind=ApiStage.KIND,
        native_type="AWS::ApiGatewayV2::Stage",
        name=f"{api.get('Name') or api['ApiId']}/{name}",
        tags=_merge_tags(api.get("Tags"), stage.get("Tags")),
        props=ApiStage(
            api_id=str(api["ApiId"]),
            api_name=api.get("Name"),
            protocol="websocket" if websocket else "http",
            stage_name=name,
            # HTTP and WebSocket APIs have no private endpoint type: always internet-facing.
            private=False,
            access_logging=access,
            access_log_destination=destination,
            execution_log_supported=websocket,
            execution_logging=logging,
            execution_log_level=level,
            waf_supported=False,
            waf_acl=None,
        ),
    )


@collector(
    "apigateway",
    fanout=Fanout.REGION,
    produces=(ApiDomain.KIND,),
    calls={"apigateway.GetDomainNames": "apigateway:GET"},
)
def api_domains(task: AwsTask) -> Iterator[Resource[ApiDomain]]:
    """Every custom domain name of API Gateway in the region, with its TLS policy.

    Custom domain names are one resource type shared by REST, HTTP and WebSocket APIs:
    the REST listing returns them all (edge-optimized ones included, which the v2 listing
    omits), so it alone is read and a failure of it is a plain listing gap.
    """
    listed = task.paginate(task.client("apigateway"), "get_domain_names", "items")
    for item in listed or []:
        name = str(item["domainName"])
        types = tuple((item.get("endpointConfiguration") or {}).get("types") or ())
        yield _domain(task, name, types, item.get("securityPolicy"), item.get("tags"))


def _domain(
    task: AwsTask,
    name: str,
    types: tuple[str, ...],
    policy: str | None,
    tags: Mapping[str, str] | None,
) -> Resource[ApiDomain]:
    return task.resource(
        uid=f"arn:{task.partition}:apigateway:{task.region}::/domainnames/{name}",
        kind=ApiDomain.KIND,
        native_type="AWS::ApiGateway::DomainName",
        name=name,
        tags=dict(tags or {}),
        props=ApiDomain(
            domain_name=name,
            endpoint_types=types,
            security_policy=policy,
            min_tls_version=api_tls_version(policy),
        ),
    )
