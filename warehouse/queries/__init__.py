"""Query functions, one module per view. Typed, keyword-only, connection passed in."""
