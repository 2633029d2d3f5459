import factory
from django.utils import timezone

from partnership.praise.models import Praise, PraiseThanks, PraiseValue

from .factories import ChildFactory, SchoolFactory, UserFactory


class PraiseValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PraiseValue
        django_get_or_create = ("school", "name")

    school = factory.SubFactory(SchoolFactory)
    name = factory.Iterator(["Kindness", "Resilience", "Curiosity", "Teamwork"])
    description = "Helping, sharing, looking after someone"


class PraiseFactory(factory.django.DjangoModelFactory):
    """Praise for a child, in one of its school's values."""

    class Meta:
        model = Praise

    child = factory.SubFactory(ChildFactory)
    school = factory.SelfAttribute("child.school")
    value = factory.SubFactory(PraiseValueFactory, school=factory.SelfAttribute("..school"))
    note = "Helped a friend tidy up without being asked"
    given_by = factory.SubFactory(UserFactory)
    given_at = factory.LazyFunction(timezone.now)


class PraiseThanksFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PraiseThanks

    praise = factory.SubFactory(PraiseFactory)
    parent = factory.SubFactory(UserFactory)
    message = "Thank you, that made our evening"
