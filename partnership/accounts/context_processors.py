from django.utils.functional import SimpleLazyObject

from .roles import current_hat, hats_of


def roles(request):
    """The hats for the navigation bar, worked out only if a template asks."""
    hats = SimpleLazyObject(lambda: hats_of(request.user))
    return {
        "portal_hats": hats,
        "portal_hat": SimpleLazyObject(lambda: current_hat(request, list(hats))),
    }
