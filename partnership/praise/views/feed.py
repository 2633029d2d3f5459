"""Families see praise and say thank you (P8, P9); staff read a child's praise with the
thanks that came back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.plans import access
from partnership.schools.models import Child

from .. import selectors
from ..forms_thanks import ThanksForm
from ..models import Praise, PraiseThanks
from ..services.thanks import ThanksRefused, praise_thank

PER_PAGE = 20


def _child_filter(request, children: list[Child]) -> Child | None:
    """The child chosen with ?child=, which must be one of the parent's own; else 404."""
    wanted = request.GET.get("child")
    if not wanted:
        return None
    for child in children:
        if str(child.pk) == wanted:
            return child
    raise Http404("Not one of this parent's children")


@login_required
def praise_feed(request):
    children = list(Child.objects.of_parent(request.user).order_by("first_name", "pk"))
    if not children:
        raise Http404("No children linked")
    chosen = _child_filter(request, children)
    page = Paginator(
        selectors.praise_for_parent(request.user, children=[chosen] if chosen else children),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    page.object_list = selectors.dated(page.object_list)
    return render(
        request,
        "praise/feed.html",
        {"page": page, "children": children, "chosen": chosen},
    )


@login_required
def praise_child(request, child_id: int):
    child = access.child_visible(request.user, child_id)
    as_staff = Child.objects.for_staff(request.user).filter(pk=child.pk).exists()
    praise = selectors.praise_for_viewer(request.user, child, as_staff=as_staff)
    page = Paginator(praise, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.dated(page.object_list)
    return render(
        request,
        "praise/child_praise.html",
        {"page": page, "child": child, "as_staff": as_staff},
    )


def _back(request) -> str:
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("praise_feed")
    return back.split("#")[0]


@login_required
@require_POST
def praise_thank_view(request, praise_id: int):
    praise = access.row_for_children(
        Praise.objects.select_related("child", "school", "given_by"),
        Child.objects.of_parent(request.user),
        praise_id,
    )
    form = ThanksForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            thanks = praise_thank(praise=praise, parent=request.user, **form.cleaned_data)
        except ThanksRefused as refused:
            error = refused.message
    else:
        error = form.errors["message"][0]

    if request.htmx:
        # Swap the button for "You said thank you" in place (or show what went wrong).
        if error:
            thanks = PraiseThanks.objects.filter(praise=praise, parent=request.user).first()
        praise.thanked = thanks is not None
        praise.my_thanks_message = thanks.message if thanks else ""
        return render(
            request,
            "praise/fragment_praise_thanks.html",
            {"praise": praise, "next_url": _back(request), "thanks_error": error},
        )
    if error:
        messages.error(request, error)
    else:
        adult = praise.given_by.full_name if praise.given_by else ""
        messages.success(
            request,
            _("Thank you sent. %(adult)s will see it.") % {"adult": adult}
            if adult
            else _("Thank you sent. The school will see it."),
        )
    return redirect(f"{_back(request)}#praise-{praise.pk}")


urlpatterns = [
    path("praise/", praise_feed, name="praise_feed"),
    path("children/<int:child_id>/praise/", praise_child, name="praise_child"),
    path("praise/<int:praise_id>/thank/", praise_thank_view, name="praise_thank"),
]
