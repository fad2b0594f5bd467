"""Recipe tests build small real projects on the built-in digits data (no network, a few seconds)."""
