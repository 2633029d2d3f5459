import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from partnership.accounts.models import User
from partnership.schools.models import (
    Assignment,
    Child,
    FamilyLink,
    KeyContact,
    Membership,
    Role,
    School,
)

PASSWORD = "a-long-test-password-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name", locale="en_GB")
    is_active = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        # Invited people have a verified address; pass verified=False for one who has not.
        if create:
            obj.save()
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=extracted is not False, primary=True
            )


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Test School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    # Sending hours that never close, so a test passes at any time of day; the tests of
    # quiet hours set their own.
    sending_from = datetime.time(0, 0)
    sending_until = datetime.time(23, 59, 59, 999999)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = datetime.date(2016, 5, 4)
    year_group = 4
    class_name = "4A"
    send_status = "sen_support"
    primary_need = "SLCN"
    mis_id = factory.Sequence(lambda n: f"MIS{n:05d}")


class FamilyLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyLink

    parent = factory.SubFactory(UserFactory)
    child = factory.SubFactory(ChildFactory)
    relationship = "mother"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    membership = factory.SubFactory(MembershipFactory)
    child = factory.SubFactory(ChildFactory)


class KeyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyContact

    child = factory.SubFactory(ChildFactory)
    name = "Sam Okafor"
    role_title = "SENDCo"
    about = "Targets and reviews"
    channel = "phone"
    contact_detail = "01632 960 123"
    hours = "Tuesdays 8:30–9:30"


def with_totp(user: User) -> User:
    TOTP.activate(user, TOTP_SECRET)
    return user


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
