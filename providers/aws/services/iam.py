"""IAM collectors: account settings (root user, password policy), principals and policies.

`iam_account` reads the account singleton. `iam_identities` reads every user, group, role
and customer-managed policy with one paginated `GetAccountAuthorizationDetails` chain, then
fans out per user for the facts that call does not return (keys, key use, console
password, MFA). Inline and customer-managed policy documents become `iam.policy`
resources; AWS-managed policies are not analysed as documents (AWS maintains them), but
their ARNs are recorded on the principals they are attached to.

Key ages are whole days at collection time (`_now`, patched in tests), so rules never read
the wall clock and an offline re-evaluation reproduces the live verdicts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from providers.aws import iam_analysis
from providers.aws.policy import PolicyParseError
from providers.aws.task import GLOBAL, AwsTask, Fetched, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.iam import (
    AccessKey,
    IamAccount,
    IamPolicy,
    IamPrincipal,
    PolicyType,
    PrincipalType,
)
from scanner.model import Resource

_GAAD = "GetAccountAuthorizationDetails"
_NO_REPORT = {"ReportNotPresent", "ReportExpired", "ReportInProgress"}
_GAAD_FILTER = ["User", "Role", "Group", "LocalManagedPolicy"]
_GAAD_KEYS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
_GAAD_PAGE_SIZE = 1000  # the API maximum; the default of 100 means ten times the pages
_NO_ENTITY = {"NoSuchEntity"}


def _now() -> datetime:
    """The collection clock (a function so tests can move it)."""
    return datetime.now(UTC)


@collector(
    "iam",
    fanout=Fanout.ACCOUNT,
    produces=(IamAccount.KIND,),
    calls={
        "iam.GetAccountSummary": "iam:GetAccountSummary",
        "iam.GetAccountPasswordPolicy": "iam:GetAccountPasswordPolicy",
        "iam.GetCredentialReport": "iam:GetCredentialReport",
        "iam.ListVirtualMFADevices": "iam:ListVirtualMFADevices",
    },
)
def iam_account(task: AwsTask) -> Iterator[Resource[IamAccount]]:
    """The account singleton: root access keys and MFA, and the password policy."""
    iam = task.client("iam")
    uid = f"arn:{task.partition}:iam::{task.account}:account-settings"
    summary = task.call(iam, "get_account_summary", resource_uid=uid)
    summary_map: Mapping[str, Any] = summary.get("SummaryMap", {})
    policy = task.call(iam, "get_account_password_policy", resource_uid=uid, absent=_NO_ENTITY)
    settings: Mapping[str, Any] = policy.get("PasswordPolicy", {})
    # The scanner never generates a report (a write): it reads one if the account has it.
    report = task.call(iam, "get_credential_report", resource_uid=uid, absent=_NO_REPORT)
    virtual = task.paginate(
        iam,
        "list_virtual_mfa_devices",
        "VirtualMFADevices",
        resource_uid=uid,
        AssignmentStatus="Assigned",
    )
    root_arn = f"arn:{task.partition}:iam::{task.account}:root"
    yield task.resource(
        uid=uid,
        kind=IamAccount.KIND,
        native_type="AWS::IAM::AccountSettings",
        name="account-settings",
        region=GLOBAL,
        props=IamAccount(
            root_access_keys_present=_flag(summary_map, "AccountAccessKeysPresent"),
            root_mfa_enabled=_flag(summary_map, "AccountMFAEnabled"),
            password_policy_exists=True if policy.ok else False if policy.absent else None,
            password_min_length=_int(settings, "MinimumPasswordLength", None),
            # AWS omits these two when they are off; inside a policy that means 0.
            password_reuse_prevention=_int(
                settings, "PasswordReusePrevention", 0 if policy.ok else None
            ),
            password_max_age_days=_int(settings, "MaxPasswordAge", 0 if policy.ok else None),
            root_password_enabled=iam_analysis.root_password_enabled(report.get("Content")),
            password_require_uppercase=_required(policy.ok, settings, "RequireUppercaseCharacters"),
            password_require_lowercase=_required(policy.ok, settings, "RequireLowercaseCharacters"),
            password_require_numbers=_required(policy.ok, settings, "RequireNumbers"),
            password_require_symbols=_required(policy.ok, settings, "RequireSymbols"),
            root_virtual_mfa=None
            if virtual is None
            else any((d.get("User") or {}).get("Arn") == root_arn for d in virtual),
        ),
    )


@collector(
    "iam",
    fanout=Fanout.ACCOUNT,
    produces=(IamPolicy.KIND, IamPrincipal.KIND),
    calls={
        "iam.GetAccountAuthorizationDetails": "iam:GetAccountAuthorizationDetails",
        "iam.ListAccessKeys": "iam:ListAccessKeys",
        "iam.GetAccessKeyLastUsed": "iam:GetAccessKeyLastUsed",
        "iam.GetLoginProfile": "iam:GetLoginProfile",
        "iam.ListMFADevices": "iam:ListMFADevices",
        "iam.ListUsers": "iam:ListUsers",
    },
)
def iam_identities(task: AwsTask) -> Iterator[Resource[Any]]:
    """Every user and role (`iam.principal`) and every inline or customer-managed policy."""
    iam = task.client("iam")
    details = _authorization_details(task, iam)
    if details is None:
        return  # the gap is recorded; without the listing nothing can be enumerated
    now = _now()
    managed = [_managed_policy(task, policy) for policy in details["Policies"]]
    yield from managed
    admin = _AdminIndex(task, {r.uid: r.props.admin_statements for r in managed})
    for group in details["GroupDetailList"]:
        inline = list(_inline_policies(task, group, "group", "GroupName", "GroupPolicyList"))
        yield from inline
        admin.groups[str(group["GroupName"])] = admin.sources(
            f"group {group['GroupName']}: ", group, inline
        )
    for role in details["RoleDetailList"]:
        inline = list(_inline_policies(task, role, "role", "RoleName", "RolePolicyList"))
        yield from inline
        yield _role(task, role, admin.sources("", role, inline))
    users = details["UserDetailList"]
    # GetAccountAuthorizationDetails leaves out when a password was last used: one
    # paginated ListUsers per account has it for every user (None: the listing failed).
    listed = task.paginate(iam, "list_users", "Users")
    last_sign_in = (
        None if listed is None else {str(u["Arn"]): u.get("PasswordLastUsed") for u in listed}
    )
    user_admin = {}
    for user in users:
        inline = list(_inline_policies(task, user, "user", "UserName", "UserPolicyList"))
        yield from inline
        user_admin[str(user["Arn"])] = admin.of_user(user, inline)
    yield from task.map(
        lambda user: _user(task, iam, user, now, user_admin[str(user["Arn"])], last_sign_in),
        users,
    )


class _AdminIndex:
    """Who holds admin-equivalent access, from the listing's policies and groups."""

    def __init__(self, task: AwsTask, managed: Mapping[str, tuple[str, ...] | None]) -> None:
        self._partition = task.partition
        self._managed = managed
        self.groups: dict[str, tuple[str, ...] | None] = {}

    def sources(
        self, prefix: str, entity: Mapping[str, Any], inline: list[Resource[IamPolicy]]
    ) -> tuple[str, ...] | None:
        """Admin grants of one user, group or role's own policies (`None`: unknown)."""
        found: list[str] = []
        unknown = False
        for arn in _attached(entity):
            reason = iam_analysis.aws_managed_admin(arn, self._partition)
            grants = self._managed.get(arn, ())
            if reason:
                found.append(
                    f"{prefix}AWS-managed policy {iam_analysis.name_from_arn(arn)} ({reason})"
                )
            elif grants is None:
                unknown = True
            elif grants:
                found.append(f"{prefix}policy {iam_analysis.name_from_arn(arn)}")
        for policy in inline:
            if policy.props.admin_statements is None:
                unknown = True
            elif policy.props.admin_statements:
                found.append(f"{prefix}inline policy {policy.name.rsplit('/', 1)[-1]}")
        return tuple(found) if found or not unknown else None

    def of_user(
        self, user: Mapping[str, Any], inline: list[Resource[IamPolicy]]
    ) -> tuple[str, ...] | None:
        """A user's own admin grants plus those of every group it belongs to."""
        parts = [self.sources("", user, inline)]
        parts += [self.groups.get(str(g), ()) for g in user.get("GroupList", [])]
        found = sorted({s for part in parts if part for s in part})
        if found:
            return tuple(found)
        return None if any(part is None for part in parts) else ()


def _authorization_details(task: AwsTask, iam: Any) -> dict[str, list[Any]] | None:
    # Paged by hand: the four lists come in the same pages, and `task.paginate` follows one.
    merged: dict[str, list[Any]] = {key: [] for key in _GAAD_KEYS}
    params: dict[str, Any] = {"Filter": _GAAD_FILTER, "MaxItems": _GAAD_PAGE_SIZE}
    while True:
        page = task.call(iam, "get_account_authorization_details", **params)
        if not page.ok:
            return None
        for key in _GAAD_KEYS:
            merged[key].extend(page.get(key, []))
        marker = page.get("Marker")
        if not page.get("IsTruncated") or not marker:
            return merged
        params["Marker"] = marker


def _managed_policy(task: AwsTask, policy: Mapping[str, Any]) -> Resource[IamPolicy]:
    arn = str(policy["Arn"])
    # moto leaves PolicyName out of this listing; the ARN always ends with the name.
    name = str(policy.get("PolicyName") or iam_analysis.name_from_arn(arn))
    default = policy.get("DefaultVersionId")
    versions = policy.get("PolicyVersionList", [])
    document = next(
        (
            v.get("Document")
            for v in versions
            if v.get("VersionId") == default or v.get("IsDefaultVersion")
        ),
        None,
    )
    admin, wildcards, all_actions, decrypt = _analyse(task, arn, document)
    return task.resource(
        uid=arn,
        kind=IamPolicy.KIND,
        native_type="AWS::IAM::ManagedPolicy",
        name=name,
        region=GLOBAL,
        props=IamPolicy(
            policy_type=PolicyType.MANAGED,
            owner_arn=None,
            owner_type=None,
            attachment_count=_int(policy, "AttachmentCount", None),
            default_version=str(default) if default else None,
            admin_statements=admin,
            service_wildcards=wildcards,
            all_action_grants=all_actions,
            kms_decrypt_all_keys=decrypt,
        ),
    )


def _inline_policies(
    task: AwsTask, owner: Mapping[str, Any], owner_type: str, name_key: str, list_key: str
) -> Iterator[Resource[IamPolicy]]:
    owner_arn = str(owner["Arn"])
    for policy in owner.get(list_key, []):
        policy_name = str(policy["PolicyName"])
        uid = inline_policy_uid(owner_arn, policy_name)
        admin, wildcards, all_actions, decrypt = _analyse(task, uid, policy.get("PolicyDocument"))
        yield task.resource(
            uid=uid,
            kind=IamPolicy.KIND,
            native_type="AWS::IAM::Policy",
            # Users, groups and roles may share a name, so the owner type keeps it unique.
            name=f"{owner_type}/{owner[name_key]}/{policy_name}",
            region=GLOBAL,
            props=IamPolicy(
                policy_type=PolicyType.INLINE,
                owner_arn=owner_arn,
                owner_type=owner_type,
                attachment_count=None,
                default_version=None,
                admin_statements=admin,
                service_wildcards=wildcards,
                all_action_grants=all_actions,
                kms_decrypt_all_keys=decrypt,
            ),
        )


def inline_policy_uid(owner_arn: str, policy_name: str) -> str:
    """The invented, stable uid of an inline policy: its owner's ARN plus its name."""
    return f"{owner_arn}/inline-policy/{policy_name}"


Found = tuple[str, ...] | None
Grants = tuple[Found, Found, Found, Found]


def _analyse(task: AwsTask, uid: str, document: Any) -> Grants:
    """Admin, service-wildcard, all-action and decrypt-every-key grants (None if unreadable)."""
    if document is None:
        task.gap(_GAAD, "MalformedPolicy", "the policy document was not returned", uid)
        return None, None, None, None
    try:
        parsed = iam_analysis.load_document(document)  # decoded once for every reading
        where = {"partition": task.partition, "account": task.account}
        return (
            iam_analysis.admin_statements(parsed, **where),
            iam_analysis.service_wildcards(parsed, **where),
            iam_analysis.all_action_grants(parsed, **where),
            iam_analysis.kms_decrypt_all_keys(parsed, **where),
        )
    except PolicyParseError as exc:
        task.gap(_GAAD, "MalformedPolicy", str(exc), uid)
        return None, None, None, None


def _role(
    task: AwsTask, role: Mapping[str, Any], admin_via: tuple[str, ...] | None
) -> Resource[IamPrincipal]:
    arn = str(role["Arn"])
    document = role.get("AssumeRolePolicyDocument")
    open_statements: tuple[str, ...] | None = None
    unguarded: tuple[str, ...] | None = None
    trusted: tuple[str, ...] = ()
    try:
        if document is None:
            raise PolicyParseError("the trust policy was not returned")
        parsed = iam_analysis.load_document(document)
        open_statements = iam_analysis.open_trust_statements(parsed)
        unguarded = iam_analysis.unguarded_cross_account_statements(parsed, task.account)
        trusted = iam_analysis.trusted_principals(parsed)
    except PolicyParseError as exc:
        task.gap(_GAAD, "MalformedPolicy", f"trust policy: {exc}", arn)
    return task.resource(
        uid=arn,
        kind=IamPrincipal.KIND,
        native_type="AWS::IAM::Role",
        name=str(role["RoleName"]),
        region=GLOBAL,
        tags=tag_dict(role.get("Tags")),
        props=IamPrincipal(
            principal_type=PrincipalType.ROLE,
            path=str(role.get("Path", "/")),
            groups=(),
            attached_policies=_attached(role),
            inline_policies=_inline_uids(arn, role.get("RolePolicyList", [])),
            # Roles cannot have a console password, MFA device or access key.
            console_access=False,
            mfa_devices=0,
            access_keys=(),
            trust_open_statements=open_statements,
            trusted_principals=trusted,
            admin_via=admin_via,
            trust_cross_account_unguarded=unguarded,
        ),
    )


def _user(
    task: AwsTask,
    iam: Any,
    user: Mapping[str, Any],
    now: datetime,
    admin_via: tuple[str, ...] | None,
    last_sign_in: Mapping[str, Any] | None,
) -> Resource[IamPrincipal]:
    arn = str(user["Arn"])
    name = str(user["UserName"])
    login = task.call(iam, "get_login_profile", resource_uid=arn, absent=_NO_ENTITY, UserName=name)
    mfa = task.paginate(iam, "list_mfa_devices", "MFADevices", resource_uid=arn, UserName=name)
    return task.resource(
        uid=arn,
        kind=IamPrincipal.KIND,
        native_type="AWS::IAM::User",
        name=name,
        region=GLOBAL,
        tags=tag_dict(user.get("Tags")),
        props=IamPrincipal(
            principal_type=PrincipalType.USER,
            path=str(user.get("Path", "/")),
            groups=tuple(sorted(str(g) for g in user.get("GroupList", []))),
            attached_policies=_attached(user),
            inline_policies=_inline_uids(arn, user.get("UserPolicyList", [])),
            console_access=True if login.ok else False if login.absent else None,
            mfa_devices=None if mfa is None else len(mfa),
            access_keys=_access_keys(task, iam, arn, name, now),
            trust_open_statements=(),
            trusted_principals=(),
            admin_via=admin_via,
            trust_cross_account_unguarded=(),
            **_password_use(
                login,
                None if last_sign_in is None else last_sign_in.get(arn),
                now,
                listed=last_sign_in is not None,
            ),
        ),
    )


def _password_use(
    login: Fetched, last_used: datetime | None, now: datetime, *, listed: bool
) -> dict[str, Any]:
    """The console password's use facts (all `None` without a readable password)."""
    created = (login.get("LoginProfile") or {}).get("CreateDate") if login.ok else None
    if not login.ok or not listed:
        return {
            "password_ever_used": None,
            "password_days_since_use": None,
            "password_age_days": None,
        }
    return {
        "password_ever_used": last_used is not None,
        "password_days_since_use": iam_analysis.whole_days(last_used, now) if last_used else None,
        "password_age_days": iam_analysis.whole_days(created, now) if created else None,
    }


def _access_keys(
    task: AwsTask, iam: Any, arn: str, name: str, now: datetime
) -> tuple[AccessKey, ...] | None:
    keys = task.paginate(
        iam, "list_access_keys", "AccessKeyMetadata", resource_uid=arn, UserName=name
    )
    if keys is None:
        return None
    result = []
    for key in sorted(keys, key=lambda k: str(k["AccessKeyId"])):
        key_id = str(key["AccessKeyId"])
        created = key.get("CreateDate")
        used = task.call(iam, "get_access_key_last_used", resource_uid=arn, AccessKeyId=key_id)
        last = used.get("AccessKeyLastUsed", {}).get("LastUsedDate") if used.ok else None
        result.append(
            AccessKey(
                key_id=key_id,
                active=key.get("Status") == "Active",
                age_days=iam_analysis.whole_days(created, now) if created else None,
                # A key never used has no LastUsedDate (ServiceName and Region say "N/A").
                ever_used=None if not used.ok else last is not None,
                days_since_last_use=iam_analysis.whole_days(last, now) if last else None,
            )
        )
    return tuple(result)


def _attached(entity: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(str(p["PolicyArn"]) for p in entity.get("AttachedManagedPolicies", [])))


def _inline_uids(owner_arn: str, policies: list[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(sorted(inline_policy_uid(owner_arn, str(p["PolicyName"])) for p in policies))


def _required(read: bool, settings: Mapping[str, Any], key: str) -> bool | None:
    # Inside a policy an omitted requirement is off; without one, nothing is known.
    return bool(settings.get(key, False)) if read else None


def _flag(summary: Mapping[str, Any], key: str) -> bool | None:
    value = summary.get(key)
    return None if value is None else int(value) > 0


def _int(data: Mapping[str, Any], key: str, default: int | None) -> int | None:
    value = data.get(key)
    return default if value is None else int(value)
