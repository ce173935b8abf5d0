"""Encryption in transit for App Service apps: HTTPS only, minimum TLS, no plain FTP."""

from __future__ import annotations

from typing import Any

from rules.encryption_in_transit.sql_azure import tls_verdict
from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from scanner.kinds.web import WebApp
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-AZWEBAPP-01",
    title="App Service app redirects HTTP to HTTPS",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=[TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY],
    kinds=[WebApp.KIND],
    providers=("azure",),
)
def web_app_https_only(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An app that answers plain HTTP lets ePHI and session cookies cross the network unread."""
    props: WebApp = resource.props
    if props.https_only is None:
        return Verdict.unknown(f"App {resource.name}: its HTTPS-only setting could not be read.")
    if props.https_only:
        return Verdict.passed(f"App {resource.name} redirects HTTP to HTTPS.", https_only=True)
    return Verdict.fail(f"App {resource.name} answers plain HTTP.", https_only=False)


@rule(
    id="EIT-AZWEBAPP-02",
    title="App Service app refuses TLS versions below 1.2",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=[TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY],
    kinds=[WebApp.KIND],
    providers=("azure",),
    params={"minimum": "1.2"},
)
def web_app_minimum_tls(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """TLS 1.0 and 1.1 have known weaknesses; an app serving ePHI needs TLS 1.2 or later."""
    props: WebApp = resource.props
    return tls_verdict(f"App {resource.name}", props.min_tls_version, str(ctx.param("minimum")))


@rule(
    id="EIT-AZWEBAPP-03",
    title="App Service app allows no plain FTP deployment",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=[TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY],
    kinds=[WebApp.KIND],
    providers=("azure",),
)
def web_app_no_plain_ftp(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Plain FTP sends deployment credentials and files in clear text.

    Passes when FTP is disabled or FTPS only.
    """
    props: WebApp = resource.props
    if props.ftp_state is None:
        return Verdict.unknown(f"App {resource.name}: its FTP setting could not be read.")
    if props.ftp_state == "all":
        return Verdict.fail(f"App {resource.name} accepts plain FTP.", ftp_state="all")
    return Verdict.passed(
        f"App {resource.name} FTP state: {props.ftp_state}.", ftp_state=props.ftp_state
    )
