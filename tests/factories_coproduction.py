import datetime

import factory
from django.utils import timezone

from partnership.coproduction.models import (
    Consultation,
    ConsultationQuestion,
    ParentGroupMember,
    SupportRequest,
)

from .factories import SchoolFactory, UserFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An open consultation closing in a fortnight (invite parents yourself)."""

    class Meta:
        model = Consultation

    school = factory.SubFactory(SchoolFactory)
    title = "Moving the reading group to the morning"
    background = "We would like to run the reading group before lunch instead of after."
    audience_label = "All SEND families"
    status = Consultation.Status.OPEN
    opened_at = factory.LazyFunction(timezone.now)
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class ConsultationQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationQuestion

    consultation = factory.SubFactory(ConsultationFactory)
    text = "A morning reading group would suit my child better."


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    school = factory.SubFactory(SchoolFactory)
    parent = factory.SubFactory(UserFactory)
    topic = "behaviour"
    in_person = True


class ParentGroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentGroupMember

    school = factory.SubFactory(SchoolFactory)
    parent = factory.SubFactory(UserFactory)
