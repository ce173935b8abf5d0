"""Rules whose concern is encryption at rest."""
