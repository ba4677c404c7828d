"""Plain-Python domain rules: validation and calculations. No Qt, no SQL."""
