"""The weekly check-in, written by the scheduled tick when each school's time comes."""
