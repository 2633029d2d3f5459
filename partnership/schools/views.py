from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.accounts.roles import GOVERNOR, PARENT, SESSION_KEY, STAFF
from partnership.coproduction.selectors_consultations import parent_consultation_invites
from partnership.meetings.selectors import six_a_year_rows
from partnership.meetings.selectors_bookings import parent_upcoming
from partnership.meetings.selectors_sessions import upcoming_for_parent
from partnership.plans.child_page import child_page
from partnership.praise import selectors as praise_selectors
from partnership.praise.selectors_adult import thanks_received

from . import selectors
from .access import school_for, schools_for
from .forms import ChildImportForm, ParentInviteForm, StaffInviteForm
from .importing import ImportFailed, children_import
from .models import STAFF_ROLES
from .services import parent_invite, staff_invite


def _wear(request, hat) -> None:
    # Remember which home the person is on; written only on a change, to spare a query.
    if request.session.get(SESSION_KEY) != hat.key:
        request.session[SESSION_KEY] = hat.key


@login_required
def parent_home(request):
    children = list(selectors.children_for_parent(request.user))
    if not children:
        raise Http404("No children linked")
    _wear(request, PARENT)
    praise = praise_selectors.dated(
        praise_selectors.latest(praise_selectors.praise_for_parent(request.user, children=children))
    )
    return render(
        request,
        "schools/parent_home.html",
        {
            "children": children,
            "praise": praise,
            "upcoming": parent_upcoming(request.user, timezone.now()),
            "six_a_year": six_a_year_rows(children),
            "sessions": upcoming_for_parent(request.user, limit=2),
            "views_wanted": list(
                parent_consultation_invites(request.user).filter(rank=0, answered=False)[:3]
            ),
        },
    )


@login_required
def staff_home(request):
    if not schools_for(request.user, roles=STAFF_ROLES).exists():
        raise Http404("Not staff")
    _wear(request, STAFF)
    page = Paginator(selectors.children_for_staff(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "schools/staff_home.html",
        {
            "page": page,
            "admin_schools": list(schools_for(request.user)),
            "thanks": thanks_received(request.user),
        },
    )


@login_required
def governor_home(request):
    # Imported here: the summary lives in coproduction, which itself builds on schools.
    from partnership.coproduction.summary_access import governed_schools, trusts_with_summary
    from partnership.coproduction.views.summary import current_school_summary

    schools = list(governed_schools(request.user))
    trusts = list(trusts_with_summary(request.user))
    if not schools and not trusts:
        raise Http404("Not a governor")
    _wear(request, GOVERNOR)
    # One school: its summary is the home page; several: choose one.
    home = current_school_summary(schools[0]) if len(schools) == 1 else None
    return render(
        request,
        "schools/governor_home.html",
        {"schools": schools, "trusts": trusts, "home": home},
    )


@login_required
def child_detail(request, child_id: int):
    page = child_page(request.user, child_id)
    praise = praise_selectors.dated(
        praise_selectors.latest(
            praise_selectors.praise_for_viewer(request.user, page.child, as_staff=page.is_staff)
        )
    )
    return render(
        request,
        "schools/child_detail.html",
        {
            "page": page,
            "child": page.child,
            "praise": praise,
            "printing": request.GET.get("print") == "1",
        },
    )


@login_required
def invite_parent(request, slug: str):
    school = school_for(request.user, slug)
    form = ParentInviteForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        parent, invited = parent_invite(school=school, invited_by=request.user, **form.cleaned_data)
        if invited:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": parent.email})
        else:
            messages.success(
                request,
                _("%(email)s already has an account; the children are now linked.")
                % {"email": parent.email},
            )
        return redirect("invite_parent", slug=school.slug)
    return render(request, "schools/invite_parent.html", {"form": form, "school": school})


@login_required
def invite_staff(request, slug: str):
    school = school_for(request.user, slug)
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person, invited = staff_invite(school=school, invited_by=request.user, **form.cleaned_data)
        if invited:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
        else:
            messages.success(
                request,
                _("%(email)s already has an account; the role is added.") % {"email": person.email},
            )
        return redirect("invite_staff", slug=school.slug)
    return render(request, "schools/invite_staff.html", {"form": form, "school": school})


@login_required
def import_children(request, slug: str):
    school = school_for(request.user, slug)
    form = ChildImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = children_import(
                school=school,
                csv_file=form.cleaned_data["file"],
                invited_by=request.user,
                send_invitations=form.cleaned_data["send_invitations"],
            )
        except ImportFailed as failure:
            errors = failure.errors
        else:
            messages.success(
                request,
                _(
                    "Import finished. Children added: %(created)s. Children updated: "
                    "%(updated)s. Parent links added: %(linked)s. Invitations sent: %(invited)s."
                )
                % {
                    "created": result.children_created,
                    "updated": result.children_updated,
                    "linked": result.parents_linked,
                    "invited": result.invitations_sent,
                },
            )
            return redirect("import_children", slug=school.slug)
    return render(
        request,
        "schools/import_children.html",
        {"form": form, "school": school, "import_errors": errors},
    )
