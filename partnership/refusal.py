"""The one way a service says no to a person."""


class Refused(Exception):
    """A rule was broken; `message` is for the person who tried, already translated.

    Each area raises its own subclass (PlanRefused, ContactRefused, ...) so a view catches
    only what its services can refuse.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
