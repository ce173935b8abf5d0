"""GCP collectors, one module per service (found by `providers.base.find_collectors`)."""
