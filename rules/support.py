"""Shared building blocks for rule checks: judging tri-state facts and thresholds.

Most rules read one fact that is `None` (not readable), or a definite value, and turn it
into a `Verdict` with a message per outcome and the evidence that decided it. These helpers
hold that logic once; each rule keeps its own wording and evidence, so messages stay
specific to the resource. This module is not a concern package: `rules.load_rules` never
imports it for rules, and it defines none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scanner.kinds.data_api import ApiStage
from scanner.kinds.database import DatabaseCluster, DatabaseInstance
from scanner.kinds.kms import Key
from scanner.kinds.messaging import MessageEncryption
from scanner.model import JSONValue
from scanner.rule import RuleContext, Verdict

Evidence = Mapping[str, JSONValue]


def judge_flag(
    fact: bool | None,
    *,
    passed: str,
    failed: str,
    unknown: str,
    evidence: Evidence | None = None,
    unknown_evidence: Evidence | None = None,
    good: bool = True,
) -> Verdict:
    """Judge a tri-state boolean fact: `None` is UNKNOWN, `good` passes, the other fails.

    `good` is True for a safeguard that must be on (encryption, logging) and False for an
    exposure that must be off (public access). `evidence` goes with every outcome;
    `unknown_evidence`, when given, replaces it for UNKNOWN (rules that report nothing, or
    less, when the fact could not be read).
    """
    if fact is None:
        chosen = evidence if unknown_evidence is None else unknown_evidence
        return Verdict.unknown(unknown, **(chosen or {}))
    if bool(fact) is good:
        return Verdict.passed(passed, **(evidence or {}))
    return Verdict.fail(failed, **(evidence or {}))


def judge_encrypted(
    fact: bool | None, *, subject: str, unknown: str, evidence: Evidence
) -> Verdict:
    """Judge an `encrypted` fact: PASS "<subject> is encrypted", FAIL "... is not encrypted".

    `unknown` says what could not be read ("its encryption could not be read").
    """
    return judge_flag(
        fact,
        passed=f"{subject} is encrypted.",
        failed=f"{subject} is not encrypted.",
        unknown=f"{subject}: {unknown}.",
        evidence=evidence,
    )


def judge_switch(
    fact: bool | None, *, subject: str, setting: str, unknown: str, evidence_key: str
) -> Verdict:
    """Judge a setting that is on or off: "<subject> has <setting> on." / "... off.".

    The evidence is `{evidence_key: fact}` when the fact was read and empty when it was
    not; `unknown` says what could not be read.
    """
    return judge_flag(
        fact,
        passed=f"{subject} has {setting} on.",
        failed=f"{subject} has {setting} off.",
        unknown=f"{subject}: {unknown}.",
        evidence={evidence_key: fact},
        unknown_evidence={},
    )


def judge_publicly_accessible(fact: bool | None, *, subject: str, evidence: Evidence) -> Verdict:
    """Judge a `publicly_accessible` fact (a database or warehouse endpoint): True fails."""
    return judge_flag(
        fact,
        good=False,
        passed=f"{subject} is not publicly accessible.",
        failed=f"{subject} is publicly accessible.",
        unknown=f"{subject}: whether it is publicly accessible could not be read.",
        evidence=evidence,
    )


def judge_access_logs(
    enabled: bool | None,
    destination: str | None,
    *,
    subject: str,
    unknown: str,
    enabled_key: str,
    destination_key: str,
) -> Verdict:
    """Judge whether a front door (load balancer, CDN) writes access logs, and where to.

    UNKNOWN carries no evidence; FAIL carries `{enabled_key: False}`; PASS also names the
    destination under `destination_key`.
    """
    if enabled is None:
        return Verdict.unknown(f"{subject}: {unknown}.")
    if not enabled:
        return Verdict.fail(f"{subject} does not write access logs.", **{enabled_key: False})
    return Verdict.passed(
        f"{subject} writes access logs to {destination}.",
        **{enabled_key: True, destination_key: destination},
    )


def judge_minimum(
    value: int | None,
    minimum: int,
    *,
    passed: str,
    failed: str,
    unknown: str,
    evidence: Evidence | None = None,
) -> Verdict:
    """Judge a numeric fact that must be at least `minimum`: `None` is UNKNOWN.

    Used for retention periods and password settings; `evidence` goes with every outcome.
    """
    if value is None:
        return Verdict.unknown(unknown, **(evidence or {}))
    if value >= minimum:
        return Verdict.passed(passed, **(evidence or {}))
    return Verdict.fail(failed, **(evidence or {}))


def judge_open_statements(
    statements: Sequence[str] | None,
    *,
    subject: str,
    has_policy: bool | None,
) -> Verdict:
    """Judge a resource policy by the statements that open it to any principal.

    Shared by queues and topics, whose policies are analysed the same way: `None` means the
    policy could not be read or parsed, an empty sequence means nothing is open.
    """
    if statements is None:
        return Verdict.unknown(
            f"{subject}: its access policy could not be read or parsed.",
            public_policy_statements=None,
        )
    if statements:
        return Verdict.fail(
            f"{subject} is open to any principal through policy statement(s) "
            f"{', '.join(statements)}.",
            public_policy_statements=list(statements),
        )
    return Verdict.passed(
        f"{subject} is not open to any principal.",
        public_policy_statements=[],
        has_policy=has_policy,
    )


def judge_policy_tls(
    tls_required: bool | None,
    has_policy: bool | None,
    *,
    subject: str,
    passed: str,
    failed: str,
    missing_deny: str,
) -> Verdict:
    """Judge whether a queue's or topic's access policy denies requests without TLS.

    `passed` and `failed` complete "<subject> ..."; `missing_deny` names the Deny statement
    a policy lacks ("a Deny on publishing") when it does not require TLS.
    """
    why = (
        "has no access policy"
        if has_policy is False
        else f"has an access policy without {missing_deny} for requests without TLS"
    )
    return judge_flag(
        tls_required,
        passed=f"{subject} {passed}.",
        failed=f"{subject} {failed}: it {why}.",
        unknown=f"{subject}: its access policy could not be read or parsed.",
        evidence={"tls_required": tls_required, "has_policy": has_policy},
        unknown_evidence={"tls_required": None},
    )


def judge_message_encryption(
    encryption: MessageEncryption | None,
    kms_key_id: str | None,
    *,
    subject: str,
    how: str,
    missing: str,
) -> Verdict:
    """Judge how a queue or topic encrypts stored messages; `NONE` fails.

    `how` completes "encrypts messages at rest with ..." and `missing` explains a failure
    ("no KMS key is set").
    """
    if encryption is None:
        return Verdict.unknown(
            f"{subject}: its encryption settings could not be read.", encryption=None
        )
    if encryption is MessageEncryption.NONE:
        return Verdict.fail(
            f"{subject} does not encrypt messages at rest ({missing}).",
            encryption=encryption.value,
            kms_key_id=None,
        )
    return Verdict.passed(
        f"{subject} encrypts messages at rest with {how}.",
        encryption=encryption.value,
        kms_key_id=kms_key_id,
    )


def tuple_evidence(values: Sequence[str] | None) -> JSONValue:
    """A tuple fact as JSON evidence: a list, or `None` when it could not be read."""
    return None if values is None else list(values)


# Database instances and clusters share their TLS and log-export facts (an Aurora member
# copies its cluster's), so the two rules of each pair judge them with the same helper;
# only the subject ("Database instance x" / "Database cluster x") and evidence differ.

Database = DatabaseInstance | DatabaseCluster


def database_tls_evidence(props: Database) -> dict[str, JSONValue]:
    """The TLS facts that decide whether a database instance or cluster requires TLS."""
    return {
        "tls_enforced": props.tls_enforced,
        "engine": props.engine,
        "engine_version": props.engine_version,
        "parameter_group": props.parameter_group,
        "tls_parameter": props.tls_parameter,
        "tls_parameter_value": props.tls_parameter_value,
        "tls_source": props.tls_source,
        "parameter_apply_status": getattr(props, "parameter_apply_status", None),
    }


def judge_database_tls(props: Database, *, subject: str, group: str, evidence: Evidence) -> Verdict:
    """Judge `tls_enforced` of a database instance or cluster, explaining where it came from.

    `group` names the kind of parameter group that was read ("parameter group",
    "cluster parameter group") in the UNKNOWN message.
    """
    if props.tls_enforced is None:
        if props.tls_parameter is None:
            why = f"the scanner knows no TLS parameter for engine {props.engine}"
        elif props.tls_source == "parameter-group-pending":
            status = getattr(props, "parameter_apply_status", None)
            why = (
                f"{props.tls_parameter}={props.tls_parameter_value} is set in {group} "
                f"{props.parameter_group} but not yet in force: apply status {status}"
            )
        elif props.tls_source == "engine-default":
            why = (
                f"the default of {props.tls_parameter} for {props.engine} "
                f"{props.engine_version} is not known"
            )
        else:
            why = f"{group} {props.parameter_group} could not be read"
        return Verdict.unknown(f"{subject}: TLS enforcement is unknown ({why}).", **evidence)
    setting = (
        f"{props.tls_parameter}={props.tls_parameter_value}"
        if props.tls_source in ("parameter-group", "instance-setting")
        else f"the engine default for {props.tls_parameter}"
    )
    # Some clouds set TLS on the instance itself, with no parameter group.
    where = f"({setting} in {props.parameter_group})" if props.parameter_group else f"({setting})"
    if props.tls_enforced:
        return Verdict.passed(f"{subject} requires TLS {where}.", **evidence)
    return Verdict.fail(f"{subject} accepts unencrypted connections {where}.", **evidence)


def judge_database_storage_encrypted(
    fact: bool | None, *, subject: str, evidence: Evidence
) -> Verdict:
    """Judge `encrypted_at_rest` of a database instance or cluster."""
    return judge_flag(
        fact,
        passed=f"{subject} has encrypted storage.",
        failed=f"{subject} stores its data unencrypted.",
        unknown=f"{subject}: whether its storage is encrypted could not be read.",
        evidence=evidence,
    )


def judge_database_deletion_protection(
    fact: bool | None, *, subject: str, evidence: Evidence
) -> Verdict:
    """Judge `deletion_protection` of a database instance or cluster."""
    return judge_flag(
        fact,
        passed=f"{subject} has deletion protection.",
        failed=f"{subject} can be deleted without protection.",
        unknown=f"{subject}: its deletion protection could not be read.",
        evidence=evidence,
    )


def database_log_evidence(props: Database) -> dict[str, JSONValue]:
    """The log-export facts of a database instance or cluster."""
    return {
        "log_exports": tuple_evidence(props.log_exports),
        "audit_log_exports": tuple_evidence(props.audit_log_exports),
        "engine": props.engine,
    }


def judge_database_log_exports(props: Database, *, subject: str, evidence: Evidence) -> Verdict:
    """Judge whether a database instance or cluster exports an audit or connection log."""
    if props.audit_log_exports is None or props.log_exports is None:
        return Verdict.unknown(f"{subject}: its log exports could not be read.", **evidence)
    if props.audit_log_exports:
        return Verdict.passed(
            f"{subject} exports {', '.join(props.audit_log_exports)} logs.", **evidence
        )
    exported = ", ".join(props.log_exports) or "no logs"
    if props.audit_log_undecided:
        return Verdict.unknown(
            f"{subject} exports no audit or connection log ({exported}), but "
            f"{props.audit_log_undecided}.",
            **evidence,
        )
    return Verdict.fail(f"{subject} exports no audit or connection log ({exported}).", **evidence)


def key_state_failure(
    ctx: RuleContext, key_uid: str | None, subject: str, **evidence: JSONValue
) -> Verdict | None:
    """FAIL when the key-management key `key_uid` is in the snapshot and unusable.

    `None` when the key is usable, or is not in the snapshot (a key of another account, or
    a scan without the key collector): the caller's own verdict then stands.
    """
    if not key_uid:
        return None
    key = ctx.get(key_uid)
    if key is None or key.kind != Key.KIND or key.props.usable is not False:
        return None
    return Verdict.fail(
        f"{subject} is encrypted with key {key.name}, which is {key.props.key_state}: the "
        "data cannot be decrypted (and after deletion never can be).",
        **evidence,
        kms_key_state=key.props.key_state,
    )


def unlisted_stages(props: ApiStage) -> Verdict | None:
    """UNKNOWN for the stand-in of an API whose stages could not be listed (else None).

    Every rule on API stages asks this first: the stand-in carries no stage fact, and the
    API may have any number of stages, each passing or failing.
    """
    if not props.unlisted:
        return None
    return Verdict.unknown(
        f"API {props.api_name or props.api_id}: its stages could not be listed "
        "(GetStages failed), so none of them was judged.",
        api_id=props.api_id,
        unlisted=True,
    )
