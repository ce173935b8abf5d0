"""KMS key policies must not open the key to any principal."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.kms import Key
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="PUB-KMSKEY-01",
    title="KMS key policy does not allow any principal",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Key.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "KMS console > Customer managed keys > select the key > Key policy > Edit: "
                'replace "Principal": "*" with the account or role ARNs that need the key, '
                "or add a condition such as kms:CallerAccount or aws:PrincipalOrgID."
            ),
            cli=(
                "aws kms put-key-policy --key-id 1234abcd-12ab-34cd-56ef-1234567890ab "
                "--policy-name default --policy file://key-policy.json"
            ),
            terraform=(
                'resource "aws_kms_key_policy" "phi" {\n'
                "  key_id = aws_kms_key.phi.id\n"
                "  policy = data.aws_iam_policy_document.phi_key.json\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
        )
    },
)
def kms_key_policy_not_public(resource: Resource[Key], ctx: RuleContext) -> Verdict:
    """A key policy that allows any principal lets anyone use or manage the key.

    Whoever holds ciphertext of ePHI could then decrypt it.
    """
    del ctx
    name = f"KMS key {resource.name}"
    public = resource.props.public_policy_statements
    if public is None:
        return Verdict.unknown(
            f"{name}: its key policy could not be read or parsed.", public_statements=None
        )
    if public:
        return Verdict.fail(
            f"{name} has a key policy that allows any principal (statements {', '.join(public)}).",
            public_statements=list(public),
        )
    return Verdict.passed(
        f"{name} has no key-policy statement open to any principal.", public_statements=[]
    )
