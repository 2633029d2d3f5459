"""Writes for plans, one module per area (targets, interventions, observations,
passports). Each area raises its own subclass of Refused when a rule is broken."""


class Refused(Exception):
    """A rule was broken; `message` is for the person who tried, already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
