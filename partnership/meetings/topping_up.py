"""Slot patterns kept topped up for the weeks ahead (by the scheduled tick)."""
