"""Writes for co-production, one module per area. Each raises its own subclass of Refused."""

from partnership.refusal import Refused

__all__ = ["Refused"]
