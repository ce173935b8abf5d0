"""The subscription singleton: activity-log export and Defender for Cloud plans.

The activity log is exported by a subscription-level diagnostic setting; Defender for
Cloud plans are the subscription's pricings (``Standard`` is on, ``Free`` off).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from providers.azure import diagnostics
from providers.azure.task import AzureTask, uid
from providers.base import Fanout, collector
from scanner.kinds.azure import AzureSubscription, DefenderPlan
from scanner.model import Resource

SUBSCRIPTIONS_API = "2022-12-01"
PRICINGS_API = "2024-01-01"
CLASSIC_API = "2015-07-01"
NATIVE_TYPE = "Microsoft.Resources/subscriptions"

CALLS = {
    "GET Microsoft.Resources/subscriptions": "Microsoft.Resources/subscriptions/read",
    "GET Microsoft.Security/pricings": "Microsoft.Security/pricings/read",
    diagnostics.OPERATION: diagnostics.GRANT,
    "GET Microsoft.Authorization/classicAdministrators": "Microsoft.Authorization/classicAdministrators/read",  # noqa: E501
}


@collector("subscription", fanout=Fanout.ACCOUNT, produces=(AzureSubscription.KIND,), calls=CALLS)
def subscription(task: AzureTask) -> Iterator[Resource[Any]]:
    """One `azure.subscription` per scanned subscription."""
    me = uid(task.sub_path)
    answer = task.get(task.sub_path, SUBSCRIPTIONS_API, resource_uid=me)
    body = answer.body or {}
    settings = diagnostics.read(task, task.sub_path, me)
    pricings = task.list(
        f"{task.sub_path}/providers/Microsoft.Security/pricings", PRICINGS_API, resource_uid=me
    )
    plans = (
        None
        if pricings is None
        else tuple(
            sorted(
                (
                    DefenderPlan(
                        str(p.get("name") or ""),
                        str((p.get("properties") or {}).get("pricingTier") or "Free"),
                    )
                    for p in pricings
                ),
                key=lambda plan: plan.name,
            )
        )
    )
    classic = task.list(
        f"{task.sub_path}/providers/Microsoft.Authorization/classicAdministrators",
        CLASSIC_API,
        resource_uid=me,
    )
    co_admins = (
        None
        if classic is None
        else tuple(
            sorted(
                str((c.get("properties") or {}).get("emailAddress") or c.get("name") or "")
                for c in classic
                if "coadministrator" in str((c.get("properties") or {}).get("role") or "").lower()
            )
        )
    )
    yield task.resource(
        uid=me,
        kind=AzureSubscription.KIND,
        native_type=NATIVE_TYPE,
        name=str(body.get("displayName") or task.subscription),
        props=AzureSubscription(
            display_name=body.get("displayName"),
            state=body.get("state"),
            activity_log_categories=None if settings is None else diagnostics.exported(settings),
            defender_plans=plans,
            co_administrators=co_admins,
        ),
    )
