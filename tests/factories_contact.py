import datetime

import factory
from django.utils import timezone

from partnership.contact.models import (
    AgreedAction,
    CheckIn,
    ContactEntry,
    ContactPlan,
    KeyDocument,
)

from .factories import ChildFactory, SchoolFactory, UserFactory


class ContactPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPlan

    child = factory.SubFactory(ChildFactory)
    frequency = "weekly"


class ContactEntryFactory(factory.django.DjangoModelFactory):
    """A phone call from school, shared with the family. Pass children=[...] and
    parents=[...] to link them."""

    class Meta:
        model = ContactEntry
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    happened_at = factory.LazyFunction(timezone.now)
    channel = "phone"
    started_by = "school"
    summary = "Talked about the new visual timetable; going well at home too"
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def children(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.children.set(extracted)

    @factory.post_generation
    def parents(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.parents.set(extracted)


class AgreedActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreedAction

    entry = factory.SubFactory(ContactEntryFactory)
    description = "Send home the visual timetable cards"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    parent = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    week_of = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    )


class KeyDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyDocument

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"SEND information report {n}")
    summary = "How the school supports children with SEND, and who to ask"
