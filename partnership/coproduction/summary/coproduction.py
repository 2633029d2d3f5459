"""Co-production (P3, P5): consultations held, how many parents answered, "you said, we
did" published, and the support parents asked for against the sessions school offered."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from partnership.coproduction.models import Consultation, SupportRequest
from partnership.meetings.models import Topic

from .measures import PERCENT, count_figure, figure, share
from .scope import Scope, window
from .sessions import TopicSessions
from .shape import Figure, Period, Section, Split, SplitRow
from .suppression import checked_split

CLOSED = (Consultation.Status.CLOSED, Consultation.Status.PUBLISHED)


def _consultations(scope: Scope, so_far: Period) -> dict:
    # Invites and responses are two joins from one consultation: DISTINCT keeps each
    # from being multiplied by the other.
    return Consultation.objects.filter(
        window(scope, "opened_at", so_far.starts, so_far.ends), school__in=scope.school_ids
    ).aggregate(
        opened=Count("pk", distinct=True),
        closed=Count("pk", filter=Q(status__in=CLOSED), distinct=True),
        published=Count("pk", filter=Q(status=Consultation.Status.PUBLISHED), distinct=True),
        invites=Count("invites", distinct=True),
        responses=Count("responses", distinct=True),
    )


def _requested(scope: Scope, so_far: Period) -> dict[str, int]:
    return dict(
        SupportRequest.objects.filter(
            window(scope, "created_at", so_far.starts, so_far.ends),
            school__in=scope.school_ids,
        )
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
        .values_list("topic", "n")
    )


def _topic_split(key: str, label: str, counts: dict, *, families: bool) -> Split:
    topics = [topic for topic in Topic if counts.get(topic.value)]
    rows = []
    for topic in topics:
        n = counts[topic.value]
        # Requests are families asking; sessions are school's, and name nobody.
        cell = figure(key, label, n, n, decimals=0) if families else count_figure(key, label, n)
        rows.append(SplitRow(group=str(topic.label), figure=cell))
    split = Split(dimension="topic", dimension_label=str(_("Topic")), figure_label=label, rows=rows)
    return checked_split(split) if families else split


def coproduction_section(
    scope: Scope, so_far: Period, sessions: dict[str, TopicSessions]
) -> Section:
    consultations = _consultations(scope, so_far)
    requested = _requested(scope, so_far)
    offered = {topic: each.offered for topic, each in sessions.items()}
    total_requested = sum(requested.values())
    published: Figure = count_figure(
        "coproduction.outcomes_published",
        _('"You said, we did" published'),
        consultations["published"],
        compare=str(_("of %(closed)s consultations closed") % {"closed": consultations["closed"]}),
    )
    published.display = str(
        _("%(published)s of %(closed)s")
        % {"published": consultations["published"], "closed": consultations["closed"]}
    )
    return Section(
        key="coproduction",
        title=str(_("Co-production")),
        figures=[
            count_figure(
                "coproduction.consultations_opened",
                _("Consultations opened"),
                consultations["opened"],
                compare=str(_("Consultations put to parents in the period.")),
            ),
            figure(
                "coproduction.response_rate",
                _("Parents who answered"),
                share(consultations["responses"], consultations["invites"]),
                consultations["invites"],
                unit=PERCENT,
                compare=_("Responses of the parents invited, across those consultations."),
            ),
            published,
            figure(
                "coproduction.support_requested",
                _("Requests for support"),
                total_requested,
                total_requested,
                decimals=0,
                compare=_("What parents asked school for, made in the period."),
            ),
            count_figure(
                "coproduction.sessions_offered",
                _("Group sessions offered"),
                sum(offered.values()),
                compare=str(_("Coffee mornings and workshops planned in the period.")),
            ),
        ],
        splits=[
            _topic_split(
                "coproduction.support_requested",
                str(_("Requests for support")),
                requested,
                families=True,
            ),
            _topic_split(
                "coproduction.sessions_offered",
                str(_("Group sessions offered")),
                offered,
                families=False,
            ),
        ],
    )
