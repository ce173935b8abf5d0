"""Rules whose concern is access control."""
