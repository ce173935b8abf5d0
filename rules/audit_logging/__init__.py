"""Rules whose concern is audit logging."""
