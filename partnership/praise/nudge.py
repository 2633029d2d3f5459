"""The end-of-day praise nudge to staff (written by the scheduled tick)."""
