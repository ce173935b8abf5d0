"""Rules whose concern is backup recovery."""
