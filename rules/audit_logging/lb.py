"""Load balancers: access logs are delivered (ELBv2 and classic ELB)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from rules.support import judge_access_logs
from scanner.kinds.delivery import ClassicLoadBalancer, LoadBalancer
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="LOG-LB-01",
    title="Load balancer access logging is enabled",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(LoadBalancer.KIND, ClassicLoadBalancer.KIND),
    remediation={
        "aws": ProviderFix(
            console=(
                "EC2 > Load Balancers > select the load balancer > Attributes > Edit > "
                "Monitoring: turn on Access logs and choose an S3 bucket whose policy lets "
                "Elastic Load Balancing write to it."
            ),
            cli=(
                "aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> "
                "--attributes Key=access_logs.s3.enabled,Value=true "
                "Key=access_logs.s3.bucket,Value=<log-bucket>\n"
                "# classic ELB\n"
                "aws elb modify-load-balancer-attributes --load-balancer-name <name> "
                "--load-balancer-attributes "
                '\'{"AccessLog":{"Enabled":true,"S3BucketName":"<log-bucket>",'
                '"EmitInterval":5}}\''
            ),
            terraform=(
                'resource "aws_lb" "this" {\n  # ...\n  access_logs {\n'
                "    bucket  = aws_s3_bucket.lb_logs.id\n    enabled = true\n  }\n}\n"
                '# classic: resource "aws_elb" { access_logs { bucket = ... '
                "interval = 5 } }"
            ),
            docs_url=(
                "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
                "enable-access-logging.html"
            ),
        )
    },
)
def load_balancer_access_logs_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Access logs record every request that reached an application handling ePHI.

    They hold the client address, path, status and TLS protocol; without them, access to
    ePHI cannot be reviewed or investigated after an incident.
    """
    return judge_access_logs(
        resource.props.access_logs_enabled,
        resource.props.access_log_bucket,
        subject=f"Load balancer {resource.name}",
        unknown="its attributes (access logs) could not be read",
        enabled_key="access_logs_enabled",
        destination_key="access_log_bucket",
    )
