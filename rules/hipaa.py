"""The HIPAA Security Rule catalog (45 CFR Part 164, Subpart C) that rules cite.

This is reviewed data, not code: section numbers, titles and the required/addressable
label are transcribed from 45 CFR 164.308, 164.310, 164.312 and 164.316. Standards that
have no implementation specifications of their own are marked required. Rules refer to
the constants below; `tests/rules/test_catalog.py` checks that every citation resolves.
"""

from __future__ import annotations

from scanner.rule import Citation, Requirement

_R = Requirement.REQUIRED
_A = Requirement.ADDRESSABLE
_ADMIN = "administrative"
_PHYSICAL = "physical"
_TECHNICAL = "technical"
_DOCS = "policies-and-documentation"

SECURITY_MANAGEMENT_PROCESS = Citation(
    "164.308(a)(1)(i)", "Security management process", _R, _ADMIN
)
RISK_ANALYSIS = Citation("164.308(a)(1)(ii)(A)", "Risk analysis", _R, _ADMIN)
RISK_MANAGEMENT = Citation("164.308(a)(1)(ii)(B)", "Risk management", _R, _ADMIN)
SANCTION_POLICY = Citation("164.308(a)(1)(ii)(C)", "Sanction policy", _R, _ADMIN)
ACTIVITY_REVIEW = Citation("164.308(a)(1)(ii)(D)", "Information system activity review", _R, _ADMIN)
ASSIGNED_RESPONSIBILITY = Citation("164.308(a)(2)", "Assigned security responsibility", _R, _ADMIN)
WORKFORCE_SECURITY = Citation("164.308(a)(3)(i)", "Workforce security", _R, _ADMIN)
AUTHORIZATION_SUPERVISION = Citation(
    "164.308(a)(3)(ii)(A)", "Authorization and/or supervision", _A, _ADMIN
)
WORKFORCE_CLEARANCE = Citation("164.308(a)(3)(ii)(B)", "Workforce clearance procedure", _A, _ADMIN)
TERMINATION_PROCEDURES = Citation("164.308(a)(3)(ii)(C)", "Termination procedures", _A, _ADMIN)
INFORMATION_ACCESS_MANAGEMENT = Citation(
    "164.308(a)(4)(i)", "Information access management", _R, _ADMIN
)
CLEARINGHOUSE_ISOLATION = Citation(
    "164.308(a)(4)(ii)(A)", "Isolating health care clearinghouse functions", _R, _ADMIN
)
ACCESS_AUTHORIZATION = Citation("164.308(a)(4)(ii)(B)", "Access authorization", _A, _ADMIN)
ACCESS_ESTABLISHMENT = Citation(
    "164.308(a)(4)(ii)(C)", "Access establishment and modification", _A, _ADMIN
)
AWARENESS_TRAINING = Citation("164.308(a)(5)(i)", "Security awareness and training", _R, _ADMIN)
SECURITY_REMINDERS = Citation("164.308(a)(5)(ii)(A)", "Security reminders", _A, _ADMIN)
MALICIOUS_SOFTWARE = Citation(
    "164.308(a)(5)(ii)(B)", "Protection from malicious software", _A, _ADMIN
)
LOGIN_MONITORING = Citation("164.308(a)(5)(ii)(C)", "Log-in monitoring", _A, _ADMIN)
PASSWORD_MANAGEMENT = Citation("164.308(a)(5)(ii)(D)", "Password management", _A, _ADMIN)
INCIDENT_PROCEDURES = Citation("164.308(a)(6)(i)", "Security incident procedures", _R, _ADMIN)
RESPONSE_AND_REPORTING = Citation("164.308(a)(6)(ii)", "Response and reporting", _R, _ADMIN)
CONTINGENCY_PLAN = Citation("164.308(a)(7)(i)", "Contingency plan", _R, _ADMIN)
DATA_BACKUP_PLAN = Citation("164.308(a)(7)(ii)(A)", "Data backup plan", _R, _ADMIN)
DISASTER_RECOVERY_PLAN = Citation("164.308(a)(7)(ii)(B)", "Disaster recovery plan", _R, _ADMIN)
EMERGENCY_MODE_PLAN = Citation("164.308(a)(7)(ii)(C)", "Emergency mode operation plan", _R, _ADMIN)
TESTING_AND_REVISION = Citation(
    "164.308(a)(7)(ii)(D)", "Testing and revision procedures", _A, _ADMIN
)
CRITICALITY_ANALYSIS = Citation(
    "164.308(a)(7)(ii)(E)", "Applications and data criticality analysis", _A, _ADMIN
)
EVALUATION = Citation("164.308(a)(8)", "Evaluation", _R, _ADMIN)
BUSINESS_ASSOCIATE_CONTRACTS = Citation(
    "164.308(b)(1)", "Business associate contracts and other arrangements", _R, _ADMIN
)
WRITTEN_CONTRACT = Citation("164.308(b)(3)", "Written contract or other arrangement", _R, _ADMIN)

FACILITY_ACCESS_CONTROLS = Citation("164.310(a)(1)", "Facility access controls", _R, _PHYSICAL)
CONTINGENCY_OPERATIONS = Citation("164.310(a)(2)(i)", "Contingency operations", _A, _PHYSICAL)
FACILITY_SECURITY_PLAN = Citation("164.310(a)(2)(ii)", "Facility security plan", _A, _PHYSICAL)
ACCESS_CONTROL_VALIDATION = Citation(
    "164.310(a)(2)(iii)", "Access control and validation procedures", _A, _PHYSICAL
)
MAINTENANCE_RECORDS = Citation("164.310(a)(2)(iv)", "Maintenance records", _A, _PHYSICAL)
WORKSTATION_USE = Citation("164.310(b)", "Workstation use", _R, _PHYSICAL)
WORKSTATION_SECURITY = Citation("164.310(c)", "Workstation security", _R, _PHYSICAL)
DEVICE_AND_MEDIA_CONTROLS = Citation("164.310(d)(1)", "Device and media controls", _R, _PHYSICAL)
MEDIA_DISPOSAL = Citation("164.310(d)(2)(i)", "Disposal", _R, _PHYSICAL)
MEDIA_REUSE = Citation("164.310(d)(2)(ii)", "Media re-use", _R, _PHYSICAL)
MEDIA_ACCOUNTABILITY = Citation("164.310(d)(2)(iii)", "Accountability", _A, _PHYSICAL)
MEDIA_BACKUP_AND_STORAGE = Citation("164.310(d)(2)(iv)", "Data backup and storage", _A, _PHYSICAL)

ACCESS_CONTROL = Citation("164.312(a)(1)", "Access control", _R, _TECHNICAL)
UNIQUE_USER_IDENTIFICATION = Citation(
    "164.312(a)(2)(i)", "Unique user identification", _R, _TECHNICAL
)
EMERGENCY_ACCESS = Citation("164.312(a)(2)(ii)", "Emergency access procedure", _R, _TECHNICAL)
AUTOMATIC_LOGOFF = Citation("164.312(a)(2)(iii)", "Automatic logoff", _A, _TECHNICAL)
ENCRYPTION_AND_DECRYPTION = Citation(
    "164.312(a)(2)(iv)", "Encryption and decryption", _A, _TECHNICAL
)
AUDIT_CONTROLS = Citation("164.312(b)", "Audit controls", _R, _TECHNICAL)
INTEGRITY = Citation("164.312(c)(1)", "Integrity", _R, _TECHNICAL)
INTEGRITY_AUTHENTICATION = Citation(
    "164.312(c)(2)",
    "Mechanism to authenticate electronic protected health information",
    _A,
    _TECHNICAL,
)
PERSON_AUTHENTICATION = Citation("164.312(d)", "Person or entity authentication", _R, _TECHNICAL)
TRANSMISSION_SECURITY = Citation("164.312(e)(1)", "Transmission security", _R, _TECHNICAL)
TRANSMISSION_INTEGRITY = Citation("164.312(e)(2)(i)", "Integrity controls", _A, _TECHNICAL)
TRANSMISSION_ENCRYPTION = Citation("164.312(e)(2)(ii)", "Encryption", _A, _TECHNICAL)

POLICIES_AND_PROCEDURES = Citation("164.316(a)", "Policies and procedures", _R, _DOCS)
DOCUMENTATION = Citation("164.316(b)(1)", "Documentation", _R, _DOCS)
DOCUMENTATION_TIME_LIMIT = Citation("164.316(b)(2)(i)", "Time limit", _R, _DOCS)
DOCUMENTATION_AVAILABILITY = Citation("164.316(b)(2)(ii)", "Availability", _R, _DOCS)
DOCUMENTATION_UPDATES = Citation("164.316(b)(2)(iii)", "Updates", _R, _DOCS)


def catalog() -> tuple[Citation, ...]:
    """Every citation in this module, ordered by section."""
    entries = [value for value in globals().values() if isinstance(value, Citation)]
    return tuple(sorted(entries, key=lambda c: _section_key(c.section)))


def _section_key(section: str) -> tuple[str, ...]:
    # Sort 164.308(a)(1)(ii)(A) by its parts so (a)(10) would follow (a)(9), not (a)(1).
    parts = section.replace(")", "").split("(")
    return tuple(part.zfill(4) if part.isdigit() else part for part in parts)
