"""The hats a person can wear in the portal, and which one they have on.

A person may be a parent (through family links), staff at one or more schools, and a
governor, all at once. Each hat has its own home; the one in use is kept in the session.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .standing import standing_of

SESSION_KEY = "portal_hat"


@dataclass(frozen=True)
class Hat:
    key: str  # "parent", "staff" or "governor"
    label: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


PARENT = Hat("parent", _("Parent or carer"), "parent_home")
STAFF = Hat("staff", _("Staff"), "staff_home")
GOVERNOR = Hat("governor", _("Governor"), "governor_home")


def hats_of(user) -> list[Hat]:
    if not user.is_authenticated:
        return []
    standing = standing_of(user)
    hats = []
    if standing.is_parent:
        hats.append(PARENT)
    if standing.is_staff_member:
        hats.append(STAFF)
    if standing.is_governor:
        hats.append(GOVERNOR)
    return hats


def needs_two_factor(user) -> bool:
    """Staff and governors see pupil data or school-wide figures, and the Django admin sees
    everything: they must use TOTP."""
    if user.is_staff or user.is_superuser:
        return True
    return standing_of(user).has_membership


def current_hat(request: HttpRequest, hats: list[Hat]) -> Hat | None:
    wanted = request.session.get(SESSION_KEY)
    for hat in hats:
        if hat.key == wanted:
            return hat
    return hats[0] if hats else None
