"""The AWS adapter (boto3). Entry points: `collect`, `AwsOptions`, `permissions`."""

from __future__ import annotations

from providers.aws.provider import AwsOptions, all_collectors, collect, permissions

__all__ = ["AwsOptions", "all_collectors", "collect", "permissions"]
