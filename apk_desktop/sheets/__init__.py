"""reportlab builders for every printed document. No Qt; reportlab is imported lazily by callers."""
