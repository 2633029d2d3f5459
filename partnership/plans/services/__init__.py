"""Writes for plans, one module per area (targets, interventions, observations,
passports). Each area raises its own subclass of Refused when a rule is broken."""

from partnership.refusal import Refused

__all__ = ["Refused"]
