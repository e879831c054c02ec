"""Reference data and the deterministic synthetic generator."""
