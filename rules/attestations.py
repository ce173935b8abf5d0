"""Manual attestations: HIPAA controls that no cloud API can prove.

The compliance report lists them as owed by a human (with the citations they answer),
never as PASS. Ids (``MAN-<SUBJECT>-NN``) are permanent, like rule ids.
"""

from __future__ import annotations

from rules.hipaa import (
    ACTIVITY_REVIEW,
    AWARENESS_TRAINING,
    BUSINESS_ASSOCIATE_CONTRACTS,
    CONTINGENCY_PLAN,
    DISASTER_RECOVERY_PLAN,
    EVALUATION,
    INCIDENT_PROCEDURES,
    LOGIN_MONITORING,
    MEDIA_BACKUP_AND_STORAGE,
    RESPONSE_AND_REPORTING,
    RISK_ANALYSIS,
    RISK_MANAGEMENT,
    SECURITY_REMINDERS,
    TERMINATION_PROCEDURES,
    TESTING_AND_REVISION,
    WRITTEN_CONTRACT,
)
from scanner.model import PROVIDERS, Concern
from scanner.rule import Attestation

_ALL = frozenset(PROVIDERS)


def attestations() -> tuple[Attestation, ...]:
    """Every manual attestation, ordered by id."""
    return tuple(sorted(_ATTESTATIONS, key=lambda a: a.id))


_ATTESTATIONS = (
    Attestation(
        id="MAN-BAA-01",
        title="A business associate agreement is signed with the cloud provider",
        description="Google Cloud and Microsoft Azure offer their BAA through their terms and "
        "compliance portals, not through an API the scanner can read. Keep the "
        "signed agreement (Google Cloud BAA accepted in the console's Legal & "
        "Compliance page; Microsoft's HIPAA BAA in the Product Terms / Data "
        "Protection Addendum) on file and list the services it covers.",
        concern=Concern.AGREEMENTS,
        citations=(BUSINESS_ASSOCIATE_CONTRACTS, WRITTEN_CONTRACT),
        providers=frozenset({"gcp", "azure"}),
    ),
    Attestation(
        id="MAN-EXIT-01",
        title="ePHI can be exported and returned or destroyed when the cloud contract ends",
        description="The business associate arrangement must provide for the return or "
        "destruction of ePHI at termination. Document how each data store is "
        "exported in a usable format, who runs the export, and how deletion is "
        "confirmed afterwards; keep an exact, retrievable copy meanwhile.",
        concern=Concern.AGREEMENTS,
        citations=(BUSINESS_ASSOCIATE_CONTRACTS, WRITTEN_CONTRACT, MEDIA_BACKUP_AND_STORAGE),
        providers=_ALL,
    ),
    Attestation(
        id="MAN-TRAIN-01",
        title="The workforce completes security awareness training",
        description="Everyone with access to the cloud accounts that hold ePHI is trained on "
        "security (phishing, credential hygiene, reporting incidents) when they "
        "join and periodically after, with records of completion and reminders.",
        concern=Concern.AGREEMENTS,
        citations=(AWARENESS_TRAINING, SECURITY_REMINDERS),
        providers=_ALL,
    ),
    Attestation(
        id="MAN-DRTEST-01",
        title="The contingency plan is tested, including restoring ePHI from backup",
        description="Backups that exist are not backups that restore. Run and record periodic "
        "restore and failover tests of the systems holding ePHI, and revise the "
        "contingency and disaster recovery plans with what they show.",
        concern=Concern.BACKUP_RECOVERY,
        citations=(TESTING_AND_REVISION, CONTINGENCY_PLAN, DISASTER_RECOVERY_PLAN),
        providers=_ALL,
    ),
    Attestation(
        id="MAN-RISK-01",
        title="A risk analysis covers the cloud environment and is kept current",
        description="An accurate and thorough assessment of the risks to ePHI in these "
        "accounts, projects and subscriptions, with a risk management plan that "
        "tracks the findings of this scan to resolution, and periodic re-evaluation "
        "after environmental or operational changes.",
        concern=Concern.AGREEMENTS,
        citations=(RISK_ANALYSIS, RISK_MANAGEMENT, EVALUATION),
        providers=_ALL,
    ),
    Attestation(
        id="MAN-LOGREVIEW-01",
        title="Audit logs and sign-in activity are reviewed regularly",
        description="Audit trails only help when someone reads them. Name who reviews the cloud "
        "audit logs and failed sign-in reports, how often, which alerts exist, and "
        "keep evidence of each review.",
        concern=Concern.AUDIT_LOGGING,
        citations=(ACTIVITY_REVIEW, LOGIN_MONITORING),
        providers=_ALL,
    ),
    Attestation(
        id="MAN-INCIDENT-01",
        title="Security incident response procedures cover the cloud environment",
        description="Documented procedures to identify, contain, document and report security "
        "incidents in the cloud accounts holding ePHI, including the provider's "
        "breach notification path under the BAA.",
        concern=Concern.AGREEMENTS,
        citations=(INCIDENT_PROCEDURES, RESPONSE_AND_REPORTING),
        providers=_ALL,
    ),
    Attestation(
        id="MAN-OFFBOARD-01",
        title="Cloud access is removed promptly when workforce members leave",
        description="Leavers lose console, SSO and key-based access to every account holding "
        "ePHI on their last day, including access through the identity provider; "
        "keep the offboarding records.",
        concern=Concern.ACCESS_CONTROL,
        citations=(TERMINATION_PROCEDURES,),
        providers=_ALL,
    ),
)
