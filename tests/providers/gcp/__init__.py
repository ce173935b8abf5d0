"""GCP collector tests against a local fake of the Google REST APIs."""
