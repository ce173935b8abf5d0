"""Rules whose concern is encryption in transit."""
