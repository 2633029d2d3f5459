"""The demo school: fictional people only, fixed logins, safe to run again and again."""

import datetime
import random

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnership.accounts.models import User
from partnership.contact.demo import seed_contact
from partnership.coproduction.demo_consultations import seed_consultations
from partnership.coproduction.demo_support import seed_support
from partnership.coproduction.demo_trust import seed_trust
from partnership.meetings.demo import seed_meetings
from partnership.plans.demo import seed_plans
from partnership.praise.demo import seed_praise
from partnership.schools.demo_names import FIRST_NAMES, LAST_NAMES
from partnership.schools.models import (
    AreaOfNeed,
    Assignment,
    Attendance,
    Child,
    FamilyLink,
    KeyContact,
    Membership,
    Relationship,
    Role,
    School,
    SendStatus,
)

DEMO_PASSWORD = "demo-partnership"
# A fixed, published secret: demo staff need two-factor like real staff, and a newcomer
# needs to be able to produce the codes. It exists only in the demo school.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"

STAFF = [
    ("admin@example.org", "Alex Morgan", Role.ADMINISTRATOR, "School business manager"),
    ("sendco@example.org", "Sam Okafor", Role.SENDCO, "SENDCo"),
    ("teacher@example.org", "Priya Shah", Role.TEACHER, "Year 4 class teacher"),
    ("ta@example.org", "Jordan Lee", Role.TEACHING_ASSISTANT, "Teaching assistant"),
    ("teacher.y7@example.org", "Chris Evans", Role.TEACHER, "Year 7 form tutor"),
    ("governor@example.org", "Pat Williams", Role.GOVERNOR, "SEND governor"),
]

# The demo parent's two children: one with an EHC plan at primary, one on SEN support
# at secondary, so both phases show on one home page.
TWO_CHILD_FAMILY = {
    0: {
        "first_name": "Ava",
        "last_name": "Adams",
        "class_name": "4A",
        "send_status": SendStatus.EHC_PLAN,
        "primary_need": AreaOfNeed.ASD,
    },
    1: {
        "first_name": "Noah",
        "last_name": "Adams",
        "class_name": "7B",
        "send_status": SendStatus.SEN_SUPPORT,
        "primary_need": AreaOfNeed.SLCN,
    },
}


class Command(BaseCommand):
    help = "Create or refresh the demo school and its fixed logins (never in production)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo school is for local use only; DJANGO_DEBUG is off.")
        with transaction.atomic():
            school = self._school()
            staff = {row[0]: self._staff(school, *row) for row in STAFF}
            children = self._children(school)
            self._teams(children, staff)
            self._families(children)
            self._key_contacts(children, staff)
            seed_plans(school=school, children=children, staff=staff)
            seed_contact(school=school, children=children, staff=staff)
            seed_praise(school=school, children=children, staff=staff)
            seed_meetings(school=school, children=children, staff=staff)
            seed_consultations(school=school, children=children, staff=staff)
            seed_support(school=school, children=children, staff=staff)
            seed_trust(school=school)
        self.stdout.write(self.style.SUCCESS(f"Demo school ready: {school.name}"))
        self.stdout.write(f"Every demo login uses the password {DEMO_PASSWORD!r}:")
        for email in [
            "admin@example.org",
            "sendco@example.org",
            "teacher@example.org",
            "parent@example.org",
            "governor@example.org",
        ]:
            self.stdout.write(f"  {email}")
        self.stdout.write(
            f"Staff and the governor also need a two-factor code from the secret "
            f"{DEMO_TOTP_SECRET} (add it to any authenticator app)."
        )

    def _person(self, email: str, name: str, *, superuser: bool = False) -> User:
        user, _ = User.objects.get_or_create(email=email)
        user.full_name = name
        user.is_active = True
        user.is_staff = user.is_superuser = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _school(self) -> School:
        school, _ = School.objects.update_or_create(
            slug="riverside", defaults={"name": "Riverside All-Through School"}
        )
        return school

    def _staff(self, school, email, name, role, job_title) -> Membership:
        user = self._person(email, name, superuser=role == Role.ADMINISTRATOR)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        membership, _ = Membership.objects.update_or_create(
            user=user, school=school, role=role, defaults={"job_title": job_title}
        )
        return membership

    def _children(self, school) -> list[Child]:
        rng = random.Random(2026)  # the same demo every time
        needs = list(AreaOfNeed.values)
        children = []
        for i in range(30):
            year = [4, 7, 2, 3, 4, 4, 0, 5, 6, 1, 7, 8, 9, 10, 11][i % 15]
            fields = {
                "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
                "last_name": LAST_NAMES[i % len(LAST_NAMES)],
                "date_of_birth": datetime.date(2021 - year, 1 + i % 12, 1 + i % 27),
                "year_group": year,
                "class_name": f"{year}{'ABC'[i % 3]}" if year else "Reception",
                "send_status": SendStatus.EHC_PLAN if i % 4 == 0 else SendStatus.SEN_SUPPORT,
                "primary_need": rng.choice(needs),
                "attendance": Attendance.REMOTE if i % 10 == 9 else Attendance.IN_SCHOOL,
            }
            fields.update(TWO_CHILD_FAMILY.get(i, {}))
            child, _ = Child.objects.update_or_create(
                school=school, mis_id=f"DEMO{i + 1:03d}", defaults=fields
            )
            children.append(child)
        return children

    def _teams(self, children, staff) -> None:
        teacher = staff["teacher@example.org"]
        ta = staff["ta@example.org"]
        tutor = staff["teacher.y7@example.org"]
        for child in children:
            if child.year_group == 4:
                Assignment.objects.get_or_create(membership=teacher, child=child)
                Assignment.objects.get_or_create(membership=ta, child=child)
            if child.year_group >= 7:
                Assignment.objects.get_or_create(membership=tutor, child=child)

    def _families(self, children) -> None:
        parent = self._person("parent@example.org", "Jamie Adams")
        for child in children[:2]:
            FamilyLink.objects.update_or_create(
                parent=parent, child=child, defaults={"relationship": Relationship.MOTHER}
            )
        # A separated family: both parents linked, each with their own account and channel.
        separated = children[2]
        mum = self._person("mum.clarke@example.org", "Dana Clarke")
        dad = self._person("dad.clarke@example.org", "Robin Clarke")
        FamilyLink.objects.update_or_create(
            parent=mum, child=separated, defaults={"relationship": Relationship.MOTHER}
        )
        FamilyLink.objects.update_or_create(
            parent=dad,
            child=separated,
            defaults={"relationship": Relationship.FATHER, "preferred_channel": "phone"},
        )
        for i, child in enumerate(children[3:], start=3):
            carer = self._person(f"family{i:02d}@example.org", f"Carer of {child.first_name}")
            FamilyLink.objects.update_or_create(
                parent=carer,
                child=child,
                defaults={
                    "relationship": [
                        Relationship.MOTHER,
                        Relationship.FATHER,
                        Relationship.CARER,
                        Relationship.GRANDPARENT,
                    ][i % 4],
                    "preferred_language": "Polish" if i % 9 == 0 else "English",
                },
            )

    def _key_contacts(self, children, staff) -> None:
        sendco = staff["sendco@example.org"]
        for child in children:
            class_adult = (
                staff["teacher@example.org"]
                if child.year_group < 7
                else staff["teacher.y7@example.org"]
            )
            rows = [
                (
                    class_adult,
                    class_adult.job_title,
                    "Day-to-day questions and how the week went",
                    "email",
                    f"{class_adult.user.email}",
                    "Replies within one school day",
                ),
                (
                    sendco,
                    "SENDCo (leads special educational needs support)",
                    "Targets, support plans and reviews",
                    "phone",
                    "01632 960 123",
                    "Tuesdays and Thursdays, 8:30–9:30",
                ),
            ]
            for order, (member, title, about, channel, detail, hours) in enumerate(rows):
                KeyContact.objects.update_or_create(
                    child=child,
                    order=order,
                    defaults={
                        "membership": member,
                        "name": member.user.full_name,
                        "role_title": title,
                        "about": about,
                        "channel": channel,
                        "contact_detail": detail,
                        "hours": hours,
                    },
                )
