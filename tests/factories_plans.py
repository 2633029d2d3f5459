import datetime

import factory
from django.utils import timezone

from partnership.plans.models import (
    HomeObservation,
    Intervention,
    PassportVersion,
    Placement,
    PlanCycle,
    ProgressReview,
    Target,
)

from .factories import ChildFactory, UserFactory


class PlanCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanCycle

    child = factory.SubFactory(ChildFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class TargetFactory(factory.django.DjangoModelFactory):
    """A target shared with the family, with its home ideas."""

    class Meta:
        model = Target

    cycle = factory.SubFactory(PlanCycleFactory)
    child = factory.SelfAttribute("cycle.child")
    outcome = factory.Sequence(lambda n: f"Takes turns in a game of four players ({n})")
    area_of_need = "SLCN"
    baseline = "Waits for one turn with an adult beside him"
    success_criteria = "Waits for three turns without prompting, three days in a row"
    how_to_help_at_home = "Play a short board game after tea; praise each time he waits"
    shared_at = factory.LazyFunction(timezone.now)


class ProgressReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReview

    target = factory.SubFactory(TargetFactory)
    rating = 3
    comment = "Waited for two turns in group time"
    author = factory.SubFactory(UserFactory)


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    school = factory.SubFactory("tests.factories.SchoolFactory")
    name = factory.Sequence(lambda n: f"Talk Boost group {n}")
    description = "A small group for language and listening"
    home_support_ideas = "Talk about the pictures in a book together"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    intervention = factory.SubFactory(
        InterventionFactory, school=factory.SelfAttribute("..child.school")
    )
    child = factory.SubFactory(ChildFactory)
    frequency = "Three times a week, 20 minutes"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=14))
    shared_at = factory.LazyFunction(timezone.now)


class HomeObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeObservation

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    text = "He waited for his sister's turn at snap tonight"


class PassportVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PassportVersion

    child = factory.SubFactory(ChildFactory)
    number = 1
    admire = "Kind to younger children; great at Lego"
    important = "Knowing what comes next; his dog Biscuit"
    support = "Give one instruction at a time and show a picture"
