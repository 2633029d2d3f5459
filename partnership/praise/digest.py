"""The weekly praise digest to parents (written by the scheduled tick)."""
