"""The governors' summary: for a school and for a trust, on screen, on paper and as CSV.

Views only decide who may look and which period, and only then ask `summary.store` for
the figures: the stored snapshot while fresh, else `summary.figures` worked out anew. The
page says when its figures were worked out and how often they are refreshed.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from partnership.contact.radar import school_today
from partnership.schools.models import School, Trust

from ..summary import store
from ..summary.shape import Period, Summary, periods_for
from ..summary_access import summary_school_for, summary_trust_for, trustee_two_factor
from ..summary_csv import summary_csv, summary_filename


def build_school_summary(school: School, period: Period, today: datetime.date) -> Summary:
    return store.summary_for_school(school, period, today)


def build_trust_summary(trust: Trust, period: Period, today: datetime.date) -> Summary:
    return store.summary_for_trust(trust, period, today)


trust_today = store.trust_today


@dataclass
class Freshness:
    """When the figures were worked out and how often they are, for the line that reads
    "Figures worked out at 14:15 today. They are updated every 15 minutes."."""

    worked_out_at: datetime.datetime
    today: bool
    updated_every: str


def freshness_of(summary: Summary, today: datetime.date) -> Freshness:
    return Freshness(
        worked_out_at=summary.generated_at,
        today=timezone.localdate(summary.generated_at) == today,
        updated_every=store.updated_every(summary.period, today),
    )


@dataclass
class PeriodChoice:
    period: Period
    periods: list[Period]
    unknown: bool  # the address asked for a period we do not offer


def choose_period(request: HttpRequest, today: datetime.date) -> PeriodChoice:
    periods = periods_for(today)
    wanted = request.GET.get("period", "")
    # Newest first, so the first is the term we are in now.
    chosen = next((period for period in periods if period.key == wanted), periods[0])
    return PeriodChoice(chosen, periods, unknown=bool(wanted) and chosen.key != wanted)


@dataclass
class SummaryLinks:
    page: str
    print: str
    csv: str


def _links(kind: str, slug: str, period: Period) -> SummaryLinks:
    names = {
        "school": ("governor_summary", "governor_summary_print", "governor_summary_csv"),
        "trust": ("trust_summary", "trust_summary_print", "trust_summary_csv"),
    }[kind]
    query = f"?period={period.key}"
    page, printed, csv = (reverse(name, kwargs={"slug": slug}) for name in names)
    return SummaryLinks(page=page, print=printed + query, csv=csv + query)


def summary_context(
    *, kind: str, slug: str, summary: Summary, choice: PeriodChoice, today: datetime.date
) -> dict:
    """What the page, the print page and a governor's home all render from."""
    return {
        "summary": summary,
        "kind": kind,
        "choice": choice,
        "links": _links(kind, slug, choice.period),
        "freshness": freshness_of(summary, today),
    }


def _school_summary(request: HttpRequest, slug: str) -> tuple[dict, Summary]:
    school = summary_school_for(request.user, slug)
    today = school_today(school)
    choice = choose_period(request, today)
    summary = build_school_summary(school, choice.period, today)
    return summary_context(
        kind="school", slug=school.slug, summary=summary, choice=choice, today=today
    ), summary


def _trust_summary(request: HttpRequest, slug: str) -> tuple[dict, Summary]:
    trust = summary_trust_for(request.user, slug)
    today = trust_today(trust)
    choice = choose_period(request, today)
    summary = build_trust_summary(trust, choice.period, today)
    return summary_context(
        kind="trust", slug=trust.slug, summary=summary, choice=choice, today=today
    ), summary


def _csv(summary: Summary, slug: str) -> HttpResponse:
    response = HttpResponse(summary_csv(summary), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{summary_filename(slug, summary)}"'
    return response


@never_cache
@require_safe
@login_required
def governor_summary(request: HttpRequest, slug: str) -> HttpResponse:
    context, _summary = _school_summary(request, slug)
    return render(request, "coproduction/summary.html", context)


@never_cache
@require_safe
@login_required
def governor_summary_print(request: HttpRequest, slug: str) -> HttpResponse:
    context, _summary = _school_summary(request, slug)
    return render(request, "coproduction/summary_print.html", context)


@never_cache
@require_safe
@login_required
def governor_summary_csv(request: HttpRequest, slug: str) -> HttpResponse:
    _context, summary = _school_summary(request, slug)
    return _csv(summary, slug)


@never_cache
@require_safe
@login_required
@trustee_two_factor
def trust_summary(request: HttpRequest, slug: str) -> HttpResponse:
    context, _summary = _trust_summary(request, slug)
    return render(request, "coproduction/summary.html", context)


@never_cache
@require_safe
@login_required
@trustee_two_factor
def trust_summary_print(request: HttpRequest, slug: str) -> HttpResponse:
    context, _summary = _trust_summary(request, slug)
    return render(request, "coproduction/summary_print.html", context)


@never_cache
@require_safe
@login_required
@trustee_two_factor
def trust_summary_csv(request: HttpRequest, slug: str) -> HttpResponse:
    _context, summary = _trust_summary(request, slug)
    return _csv(summary, slug)


def current_school_summary(school: School) -> dict:
    """The current term's summary of one school, for a governor's home page."""
    today = school_today(school)
    periods = periods_for(today)
    choice = PeriodChoice(periods[0], periods, unknown=False)
    summary = build_school_summary(school, choice.period, today)
    return summary_context(
        kind="school", slug=school.slug, summary=summary, choice=choice, today=today
    )


urlpatterns = [
    path("schools/<slug:slug>/summary/", governor_summary, name="governor_summary"),
    path(
        "schools/<slug:slug>/summary/print/",
        governor_summary_print,
        name="governor_summary_print",
    ),
    path("schools/<slug:slug>/summary.csv", governor_summary_csv, name="governor_summary_csv"),
    path("trusts/<slug:slug>/summary/", trust_summary, name="trust_summary"),
    path("trusts/<slug:slug>/summary/print/", trust_summary_print, name="trust_summary_print"),
    path("trusts/<slug:slug>/summary.csv", trust_summary_csv, name="trust_summary_csv"),
]
