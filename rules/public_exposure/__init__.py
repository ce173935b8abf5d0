"""Rules whose concern is public exposure."""
