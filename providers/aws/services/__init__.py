"""AWS collectors, one module per service; each defines `Collector` objects."""
