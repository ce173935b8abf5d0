"""Azure: subscriptions read through Azure Resource Manager (`hipaa-scan azure`)."""
