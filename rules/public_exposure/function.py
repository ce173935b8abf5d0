"""Serverless functions must not be invocable by anyone: no open policy, no open URL."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT, PERSON_AUTHENTICATION
from rules.support import judge_open_statements, tuple_evidence
from scanner.kinds.workloads import Function
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

NO_AUTH = "NONE"


@rule(
    id="PUB-FUNCTION-01",
    title="Function resource policy is not open to any principal",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Function.KIND,),
    providers=("aws",),
)
def function_policy_not_public(resource: Resource[Function], ctx: RuleContext) -> Verdict:
    """A function whose policy lets any principal invoke it runs for anyone who asks.

    It does so with its own role, which often reads or writes ePHI. Statements pinned to
    a source account, organisation or ARN are not open; a statement that only allows
    `lambda:InvokeFunctionUrl` for URLs without authentication is.
    """
    del ctx
    props = resource.props
    return judge_open_statements(
        props.public_policy_statements,
        subject=f"Function {resource.name}",
        has_policy=props.has_policy,
    )


@rule(
    id="PUB-FUNCTION-02",
    title="Function URL requires authentication",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, PERSON_AUTHENTICATION),
    kinds=(Function.KIND,),
    providers=("aws",),
)
def function_url_authenticated(resource: Resource[Function], ctx: RuleContext) -> Verdict:
    """A function URL with auth type NONE is a public HTTPS endpoint with no caller identity.

    Anyone who learns the URL can call the function, and nothing records who did. Every
    URL of the function and its aliases is judged.
    """
    del ctx
    subject = f"Function {resource.name}"
    kinds = resource.props.url_auth_types
    evidence = {"url_auth_types": tuple_evidence(kinds)}
    if kinds is None:
        return Verdict.unknown(f"{subject}: its function URLs could not be read.", **evidence)
    if NO_AUTH in kinds:
        return Verdict.fail(f"{subject} has a function URL without authentication.", **evidence)
    if kinds:
        return Verdict.passed(f"{subject}'s function URLs all require IAM auth.", **evidence)
    return Verdict.passed(f"{subject} has no function URL.", **evidence)
