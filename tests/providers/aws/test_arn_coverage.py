"""Property tests of ARN-pattern coverage: a pattern covers every resource exactly when it
matches ``arn:<any partition>:<any service>:<any region>:<any account>:<any resource>``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from providers.aws.policy import covers_every_resource

WILD = st.sampled_from(["*"])
LITERAL = {
    "partition": st.sampled_from(["aws", "aws-cn", "aws-us-gov", "AWS"]),
    "service": st.sampled_from(["s3", "iam", "kms", "ec2", "S3"]),
    "region": st.sampled_from(["", "us-east-1", "eu-west-1", "*-1", "us-*"]),
    "account": st.sampled_from(["", "123456789012", "1234*"]),
    "resource": st.sampled_from(["bucket", "key/*", "role/*", "*/*", "?*"]),
}
SEGMENTS = ("partition", "service", "region", "account", "resource")


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({name: st.one_of(WILD, LITERAL[name]) for name in SEGMENTS}))
def test_covers_every_resource_exactly_when_every_segment_is_a_wildcard(
    segments: dict[str, str],
) -> None:
    pattern = "arn:" + ":".join(segments[name] for name in SEGMENTS)
    # In the aws partition, a literal "aws" partition is as good as "*"; a resource part
    # is never empty, so "?*" matches every one.
    free = {
        name: value == "*"
        or (name == "partition" and value == "aws")
        or (name == "resource" and value == "?*")
        for name, value in segments.items()
    }
    assert covers_every_resource([pattern], "aws") is all(free.values()), pattern
    # Read from another partition's account, only a wildcard partition covers it all.
    assert covers_every_resource([pattern], "aws-cn") is (
        all(free[n] for n in SEGMENTS[1:]) and segments["partition"] in ("*", "aws-cn")
    )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "arn:aws:s3:::*",
                "arn:aws:kms:*:*:key/*",
                "arn:aws:iam::*:*",
                "arn:aws:ec2:*:*:*",
                "arn:aws:*:us-east-1:*:*",
            ]
        ),
        min_size=1,
        max_size=5,
    )
)
def test_service_patterns_never_add_up_to_every_resource(patterns: list[str]) -> None:
    # Coverage is per pattern, as IAM matches: a list of narrower patterns covers only
    # what each covers, so together they are still not "every resource".
    assert not covers_every_resource(patterns)
    assert covers_every_resource([*patterns, "*"])
