import datetime

import factory
from django.utils import timezone

from partnership.meetings.models import Booking, GroupSession, SessionPlace, Slot

from .factories import ChildFactory, MembershipFactory, SchoolFactory, UserFactory


def _next_week_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class SlotFactory(factory.django.DjangoModelFactory):
    """A 20-minute in-person slot next week, each one an hour after the last."""

    class Meta:
        model = Slot

    school = factory.SubFactory(SchoolFactory)
    host = factory.SubFactory(
        MembershipFactory, school=factory.SelfAttribute("..school"), role="sendco"
    )
    starts_at = factory.Sequence(
        lambda n: _next_week_at(9) + datetime.timedelta(hours=n % 500, days=n // 500)
    )
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + datetime.timedelta(minutes=20))
    mode = "in_person"
    location = "SENDCo's office"


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    child = factory.SubFactory(ChildFactory, school=factory.SelfAttribute("..slot.school"))
    parent = factory.SubFactory(UserFactory)
    booked_by = factory.SelfAttribute("parent")
    note = "How the new visual timetable is going at home"


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    school = factory.SubFactory(SchoolFactory)
    kind = "coffee_morning"
    topic = "autism"
    title = "Coffee morning: understanding autism"
    starts_at = factory.LazyFunction(lambda: _next_week_at(9))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=1))
    mode = "in_person"
    location = "The library"
    capacity = 12


class SessionPlaceFactory(factory.django.DjangoModelFactory):
    """A confirmed place (bypasses the services: keep session.confirmed_count yourself)."""

    class Meta:
        model = SessionPlace

    session = factory.SubFactory(GroupSessionFactory)
    parent = factory.SubFactory(UserFactory)
    child = factory.SubFactory(ChildFactory, school=factory.SelfAttribute("..session.school"))
    status = "confirmed"
