"""Azure provider tests against the local HTTPS fake of ARM."""
