"""The day-before reminders (written by the scheduled tick)."""
