"""The Google Cloud provider: REST collectors behind the provider seam."""
