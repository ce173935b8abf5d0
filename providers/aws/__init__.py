"""The AWS adapter (boto3).

The provider object is `providers.aws.plugin.PROVIDER`; the collection entry point is
`providers.aws.provider.collect` with `providers.aws.options.AwsOptions`. This package
module imports nothing, so naming the package loads no SDK.
"""
