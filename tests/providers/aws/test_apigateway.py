"""API Gateway collectors under moto: REST, HTTP and WebSocket stages, custom domains.

moto keeps everything judged here (access-log settings, method settings, the web ACL
wafv2 attaches to a REST stage, domain security policies). Near misses: a stage whose
`*/*` level is INFO but one method turns logging OFF (fails), a private REST API with no
web ACL (not judged), HTTP stages (no web ACL or execution log to judge), a domain on an
enhanced TLS 1.3 policy (passes) and one on TLS_1_0 (fails).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.apigateway import api_tls_version, rest_execution_logging
from providers.base import CallCounter
from tests.providers.aws.helpers import (
    ACCOUNT,
    Answer,
    answering,
    by_uid,
    failing,
    fake_answer,
    outcomes,
    scan,
)

US, EU = "us-east-1", "eu-west-1"
RULES = ("LOG-APISTAGE-01", "LOG-APISTAGE-02", "PUB-APISTAGE-01", "EIT-APIDOMAIN-01")
P, F, U = "PASS", "FAIL", "UNKNOWN"
LOGS = f"arn:aws:logs:{US}:{ACCOUNT}:log-group"


def fake_env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        env.delenv("AWS_PROFILE", raising=False)
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": US,
            "AWS_EC2_METADATA_DISABLED": "true",
        }.items():
            env.setenv(name, value)
        with mock_aws():
            yield


def patch(path: str, value: str) -> dict[str, str]:
    return {"op": "replace", "path": path, "value": value}


def rest_api(client: Any, name: str, kind: str, *stages: str) -> str:
    api = str(client.create_rest_api(name=name, endpointConfiguration={"types": [kind]})["id"])
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    client.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    deployment = client.create_deployment(restApiId=api, stageName=stages[0])["id"]
    for stage in stages[1:]:
        client.create_stage(restApiId=api, stageName=stage, deploymentId=deployment)
    return api


def seed() -> dict[str, str]:
    """Stages and domains in two regions; returns uids by role."""
    rest, http = boto3.client("apigateway", US), boto3.client("apigatewayv2", US)
    public = rest_api(rest, "public", "REGIONAL", "prod", "holey", "bare")
    rest.update_stage(
        restApiId=public,
        stageName="prod",
        patchOperations=[
            patch("/accessLogSettings/destinationArn", f"{LOGS}:prod"),
            patch("/*/*/logging/loglevel", "INFO"),
        ],
    )
    # Near miss: stage-wide INFO, but one method overrides it to OFF.
    rest.update_stage(
        restApiId=public,
        stageName="holey",
        patchOperations=[
            patch("/*/*/logging/loglevel", "INFO"),
            patch("/~1/GET/logging/loglevel", "OFF"),
        ],
    )
    waf = boto3.client("wafv2", US)
    acl = waf.create_web_acl(
        Name="w",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={
            "SampledRequestsEnabled": False,
            "CloudWatchMetricsEnabled": False,
            "MetricName": "w",
        },
    )["Summary"]["ARN"]
    stage_base = f"arn:aws:apigateway:{US}::/restapis/{public}/stages"
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=f"{stage_base}/prod")
    private = rest_api(boto3.client("apigateway", EU), "private", "PRIVATE", "prod")
    api_http = http.create_api(Name="http", ProtocolType="HTTP")["ApiId"]
    http.create_stage(
        ApiId=api_http,
        StageName="$default",
        AccessLogSettings={"DestinationArn": f"{LOGS}:http", "Format": "$context.requestId"},
    )
    ws = http.create_api(
        Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
    )["ApiId"]
    http.create_stage(ApiId=ws, StageName="live", DefaultRouteSettings={"LoggingLevel": "ERROR"})
    rest.create_domain_name(
        domainName="old.example.org",
        regionalCertificateArn=f"arn:aws:acm:{US}:{ACCOUNT}:certificate/a",
        endpointConfiguration={"types": ["REGIONAL"]},
        securityPolicy="TLS_1_0",
    )
    rest.create_domain_name(
        domainName="new.example.org",
        regionalCertificateArn=f"arn:aws:acm:{US}:{ACCOUNT}:certificate/b",
        endpointConfiguration={"types": ["REGIONAL"]},
        securityPolicy="SecurityPolicy_TLS13_1_3_2025_09",
    )
    domains = f"arn:aws:apigateway:{US}::/domainnames"
    return {
        "prod": f"{stage_base}/prod",
        "holey": f"{stage_base}/holey",
        "bare": f"{stage_base}/bare",
        "private": f"arn:aws:apigateway:{EU}::/restapis/{private}/stages/prod",
        "http": f"arn:aws:apigateway:{US}::/apis/{api_http}/stages/$default",
        "ws": f"arn:aws:apigateway:{US}::/apis/{ws}/stages/live",
        "old_domain": f"{domains}/old.example.org",
        "new_domain": f"{domains}/new.example.org",
    }


@pytest.fixture(scope="module")
def apis() -> Iterator[dict[str, str]]:
    for _ in fake_env():
        yield seed()


def expected(u: dict[str, str]) -> set[tuple[str, str, str]]:
    return {
        ("LOG-APISTAGE-01", u["prod"], P),
        ("LOG-APISTAGE-01", u["holey"], F),
        ("LOG-APISTAGE-01", u["bare"], F),
        ("LOG-APISTAGE-01", u["private"], F),
        ("LOG-APISTAGE-01", u["http"], P),
        ("LOG-APISTAGE-01", u["ws"], F),
        ("LOG-APISTAGE-02", u["prod"], P),
        ("LOG-APISTAGE-02", u["holey"], F),
        ("LOG-APISTAGE-02", u["bare"], F),
        ("LOG-APISTAGE-02", u["private"], F),
        ("LOG-APISTAGE-02", u["ws"], P),
        ("PUB-APISTAGE-01", u["prod"], P),
        ("PUB-APISTAGE-01", u["holey"], F),
        ("PUB-APISTAGE-01", u["bare"], F),
        ("EIT-APIDOMAIN-01", u["old_domain"], F),
        ("EIT-APIDOMAIN-01", u["new_domain"], P),
    }


def test_exact_outcomes_facts_and_call_counts(apis: dict[str, str]) -> None:
    counter = CallCounter()
    snapshot = scan(["apigateway", "apigatewayv2"], counter=counter)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == expected(apis)
    stages = by_uid(snapshot, "api.stage")
    assert stages[apis["private"]].props.private is True
    assert stages[apis["private"]].region == EU
    assert stages[apis["ws"]].props.protocol == "websocket"
    assert stages[apis["http"]].props.waf_supported is False
    assert by_uid(snapshot, "api.domain")[apis["new_domain"]].props.min_tls_version == "1.3"
    # One listing per region and API family; one GetStages per API (its answer has the facts).
    assert {k: v for k, v in counter.counts.items() if k.startswith("apigateway")} == {
        "apigateway.GetRestApis": 2,
        "apigateway.GetStages": 2,
        "apigateway.GetDomainNames": 2,
        "apigatewayv2.GetApis": 2,
        "apigatewayv2.GetStages": 2,
    }


def stand_in(stage_uid: str) -> str:
    """The uid of the stand-in for every stage of the API that `stage_uid` belongs to."""
    return stage_uid.rsplit("/", 1)[0] + "/*"


def test_denied_stage_reads_leave_gaps_not_passes(apis: dict[str, str]) -> None:
    with failing("apigateway.GetStages", "apigateway.GetDomainNames"):
        snapshot = scan(["apigateway", "apigatewayv2"])
    # A failed GetStages is a gap about that API's stand-in; a failed domain listing is a
    # listing gap of the region.
    assert {(g.operation, g.region, g.resource_uid) for g in snapshot.gaps} == {
        ("GetStages", US, stand_in(apis["prod"])),
        ("GetStages", EU, stand_in(apis["private"])),
        ("GetDomainNames", US, None),
        ("GetDomainNames", EU, None),
    }
    scope = f"aws/{ACCOUNT}/{{}}/{{}}"
    assert outcomes(snapshot, RULES) == {
        *((r, stand_in(apis["prod"]), U) for r in RULES[:3]),
        # The private API's stages are not internet-facing, listed or not.
        *((r, stand_in(apis["private"]), U) for r in RULES[:2]),
        *(("EIT-APIDOMAIN-01", scope.format(region, "api.domain"), U) for region in (US, EU)),
        # The HTTP and WebSocket stages were read and are judged as usual.
        ("LOG-APISTAGE-01", apis["http"], P),
        ("LOG-APISTAGE-01", apis["ws"], F),
        ("LOG-APISTAGE-02", apis["ws"], P),
    }


def failing_stages_of(api_id: str, code: str, status: int) -> Any:
    """GetStages (REST or HTTP/WebSocket) fails for one API only, with `code` and `status`."""

    def answer(model: Any, params: Any, **_: Any) -> Answer | None:
        if model.name != "GetStages" or f"/{api_id}/" not in params["url_path"] + "/":
            return None
        error = {"Code": code, "Message": f"injected for {api_id}"}
        return fake_answer({"Error": error, "message": error["Message"]}, status)

    return answering(answer)


def api_of(stage_uid: str) -> str:
    return stage_uid.split("/")[-3]


@pytest.mark.parametrize(
    ("code", "status"), [("AccessDeniedException", 403), ("InternalServerError", 500)]
)
@pytest.mark.parametrize("failed", ["prod", "ws"])
def test_one_api_whose_stages_cannot_be_listed_is_unknown(
    apis: dict[str, str], failed: str, code: str, status: int
) -> None:
    with failing_stages_of(api_of(apis[failed]), code, status):
        snapshot = scan(["apigateway", "apigatewayv2"])
    (gap,) = snapshot.gaps
    assert (gap.operation, gap.resource_uid) == ("GetStages", stand_in(apis[failed]))
    # Every stage of the failed API is replaced by one UNKNOWN per rule; the other APIs of
    # the same region (and their stages) are judged exactly as when nothing fails.
    hidden = {u for k, u in apis.items() if stand_in(u) == stand_in(apis[failed])}
    healthy = {t for t in expected(apis) if t[1] not in hidden}
    rules = RULES[:3] if failed == "prod" else RULES[:2]  # no web ACL on WebSocket APIs
    assert outcomes(snapshot, RULES) == healthy | {(r, stand_in(apis[failed]), U) for r in rules}
    (unread,) = [r for r in snapshot.resources if r.uid == stand_in(apis[failed])]
    assert unread.props.unlisted is True and unread.tags is None


@pytest.mark.parametrize(
    ("policy", "version"),
    [
        ("TLS_1_0", "1.0"),
        ("TLS_1_2", "1.2"),
        ("SecurityPolicy_TLS13_1_3_2025_09", "1.3"),
        ("SecurityPolicy_TLS13_1_2_2021_06", "1.2"),
        ("SecurityPolicy_TLS12_PFS_2025_EDGE", "1.2"),
        ("SecurityPolicy_Something_New", None),
        (None, None),
    ],
)
def test_security_policy_names(policy: str | None, version: str | None) -> None:
    assert api_tls_version(policy) == version


@pytest.mark.parametrize(
    ("settings", "logged"),
    [
        ({}, False),
        ({"*/*": {"loggingLevel": "OFF"}}, False),
        ({"*/*": {"loggingLevel": "ERROR"}}, True),
        ({"*/*": {"loggingLevel": "INFO"}, "patients/GET": {"loggingLevel": "OFF"}}, False),
        ({"*/*": {"loggingLevel": "INFO"}, "patients/GET": {"metricsEnabled": True}}, True),
        # A method may log while the stage does not: the other methods stay unlogged.
        ({"patients/GET": {"loggingLevel": "INFO"}}, False),
    ],
)
def test_execution_logging_covers_every_method(settings: dict[str, Any], logged: bool) -> None:
    assert rest_execution_logging(settings)[0] is logged
