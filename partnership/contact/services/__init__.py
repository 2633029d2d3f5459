"""Writes for contact, one module per area. Each raises a subclass of Refused."""


class Refused(Exception):
    """A rule was broken; `message` is for the person who tried, already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
