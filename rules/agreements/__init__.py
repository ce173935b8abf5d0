"""Rules whose concern is agreements."""
