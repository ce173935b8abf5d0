"""Provider tests that run against local fakes."""
