"""Azure collectors, one module per resource provider (Microsoft.Storage, ...)."""
