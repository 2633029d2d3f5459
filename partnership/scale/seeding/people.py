"""The trust, its schools, staff, children and families, and their sign-ins."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.db.models import Model

from partnership.accounts.models import User
from partnership.schools.models import (
    Assignment,
    Child,
    FamilyLink,
    KeyContact,
    Membership,
    RetentionPolicy,
    Role,
    School,
    Trust,
)

from .text import ADULT_FIRST_NAMES, FIRST_NAMES, LAST_NAMES
from .world import ChildRow, Family, SchoolRow, World

PASSWORD = "scale-partnership"
# The published demo secret: staff of the scale trust sign in with two factors like real
# staff, and whoever measures needs to produce the codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
DOMAIN = "scale.example.org"
TRUST_SLUG = "scale-trust"

USER_COLUMNS = (
    "id", "password", "last_login", "is_superuser", "first_name", "last_name",
    "is_staff", "is_active", "date_joined", "email", "full_name",
)  # fmt: skip
NEEDS = (
    ("ASD", 26), ("SLCN", 22), ("SEMH", 20), ("MLD", 10), ("SPLD", 10),
    ("PD", 3), ("HI", 2), ("VI", 1), ("SLD", 2), ("OTH", 2), ("NSA", 2),
)  # fmt: skip
# (share of families, contact frequency): the skew of the data set. Daily families are few
# and heard from constantly; half-termly ones rarely.
FREQUENCIES = (("daily", 0.06), ("weekly", 0.34), ("fortnightly", 0.45), ("half_termly", 0.15))


def defaults(model: type[Model], *names: str) -> tuple:
    """The model's own defaults, so rows written without save() look like saved ones."""
    return tuple(model._meta.get_field(name).get_default() for name in names)


def year_groups(number: int) -> list[int]:
    # Primary, secondary and all-through schools in turn, so both phases are measured.
    return [list(range(0, 7)), list(range(7, 12)), list(range(0, 12))][(number - 1) % 3]


class People:
    def __init__(self, world: World) -> None:
        self.world = world
        sink = world.sink
        self.sink = sink
        self.password = make_password(PASSWORD)
        self.joined = datetime.datetime.combine(world.start, datetime.time(8), tzinfo=datetime.UTC)
        self.totp = {"secret": encrypt(TOTP_SECRET)}
        self.names: dict[int, str] = {}  # staff membership id -> full name
        self.users = sink.table(User, USER_COLUMNS)
        self.emails = sink.table(EmailAddress, ("id", "user_id", "email", "verified", "primary"))
        self.authenticators = sink.table(
            Authenticator, ("id", "user_id", "type", "data", "created_at", "last_used_at")
        )
        self.memberships = sink.table(
            Membership, ("id", "user_id", "school_id", "role", "job_title", "is_active")
        )

    def person(self, email: str, name: str, *, two_factor: bool = False) -> int:
        sink = self.sink
        user_id = sink.new_id(self.users)
        sink.add(
            self.users,
            (user_id, self.password, None, False, "", "", False, True, self.joined, email, name),
        )
        # Verified and primary, or allauth would hold the sign-in for a confirmation.
        sink.add(self.emails, (sink.new_id(self.emails), user_id, email, True, True))
        if two_factor:
            row = (sink.new_id(self.authenticators), user_id, "totp", self.totp, self.joined, None)
            sink.add(self.authenticators, row)
        return user_id

    def member(self, user_id: int, school_id: int, role: str, title: str) -> tuple[int, int]:
        membership_id = self.sink.new_id(self.memberships)
        self.sink.add(self.memberships, (membership_id, user_id, school_id, role, title, True))
        return membership_id, user_id


def seed_people(world: World) -> None:
    trust_id = _trust_and_schools(world)
    people = People(world)
    _trustee(world, people, trust_id)
    for school in world.schools:
        _staff(world, people, school)
    _children(world)
    _families(world, people)
    _key_contacts(world, people)


def _trust_and_schools(world: World) -> int:
    sink = world.sink
    trusts = sink.table(Trust, ("id", "name", "slug"))
    trust_id = sink.new_id(trusts)
    sink.add(trusts, (trust_id, "Northfield Schools Trust", TRUST_SLUG))
    settings_columns = (
        "time_zone", "checkin_weekday", "checkin_time", "sending_from", "sending_until",
        "school_day_ends", "praise_digest_weekday", "praise_digest_time",
        "booking_cutoff_hours", "priority_booking_days",
    )  # fmt: skip
    schools = sink.table(School, ("id", "trust_id", "name", "slug", *settings_columns))
    school_defaults = defaults(School, *settings_columns)
    retention_columns = (
        "sen_records_until_age", "sen_records_extra_years", "contact_notes_months",
        "checkin_messages_months", "sent_emails_days",
    )  # fmt: skip
    policies = sink.table(RetentionPolicy, ("id", "school_id", *retention_columns))
    retention_defaults = defaults(RetentionPolicy, *retention_columns)
    places = ("Ashby", "Brookfield", "Castleton", "Dunmore", "Elmwood", "Fairview", "Greenhill")
    for number in range(1, world.options.schools + 1):
        school_id = sink.new_id(schools)
        kind = ("Primary School", "Academy", "All-Through School")[(number - 1) % 3]
        name = f"{places[number % len(places)]} {kind} {number:02d}"
        sink.add(schools, (school_id, trust_id, name, f"scale-{number:02d}", *school_defaults))
        sink.add(policies, (sink.new_id(policies), school_id, *retention_defaults))
        world.schools.append(SchoolRow(id=school_id, number=number, slug=f"scale-{number:02d}"))
    return trust_id


def _trustee(world: World, people: People, trust_id: int) -> None:
    sink = world.sink
    trustee = people.person(f"trustee@{DOMAIN}", "Morgan Ellis", two_factor=True)
    world.trustee = trustee
    trustees = sink.table(Trust.trustees.through, ("id", "trust_id", "user_id"))
    sink.add(trustees, (sink.new_id(trustees), trust_id, trustee))
    people.member(trustee, world.schools[0].id, Role.GOVERNOR, "Trustee and SEND governor")


def _staff(world: World, people: People, school: SchoolRow) -> None:
    rng = world.rng("staff", school.number)
    nn = f"{school.number:02d}"

    def adult() -> str:
        return f"{rng.choice(ADULT_FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    def staff(local: str, role: str, title: str) -> tuple[int, int]:
        name = adult()
        user_id = people.person(f"{local}@{DOMAIN}", name, two_factor=True)
        membership = people.member(user_id, school.id, role, title)
        people.names[membership[0]] = name
        return membership

    school.sendco = staff(f"sendco.{nn}", Role.SENDCO, "SENDCo")
    school.admin = staff(f"admin.{nn}", Role.ADMINISTRATOR, "School business manager")
    school.governor = staff(f"governor.{nn}", Role.GOVERNOR, "SEND governor")
    for kk, year in enumerate(year_groups(school.number), start=1):
        label = f"Year {year}" if year else "Reception"
        school.teachers.append(
            staff(f"teacher.{nn}.{kk:02d}", Role.TEACHER, f"{label} class teacher")
        )
        school.assistants.append(
            staff(f"ta.{nn}.{kk:02d}", Role.TEACHING_ASSISTANT, f"{label} teaching assistant")
        )


def _children(world: World) -> None:
    sink = world.sink
    columns = (
        "id", "school_id", "mis_id", "first_name", "last_name", "date_of_birth", "year_group",
        "class_name", "send_status", "primary_need", "attendance", "left_on",
    )  # fmt: skip
    children = sink.table(Child, columns)
    assignments = sink.table(Assignment, ("id", "membership_id", "child_id"))
    needs, weights = zip(*NEEDS, strict=True)
    today = world.today
    september = today.year if today.month >= 9 else today.year - 1
    for school_index, school in enumerate(world.schools):
        rng = world.rng("children", school.number)
        years = year_groups(school.number)
        for i in range(world.options.children_per_school):
            slot = i * len(years) // world.options.children_per_school
            year = years[slot]
            born = datetime.date(september - year - 5, 9, 1) + datetime.timedelta(
                days=rng.randrange(365)
            )
            child = ChildRow(
                id=sink.new_id(children),
                school=school_index,
                first_name=rng.choice(FIRST_NAMES),
                year_group=year,
                teacher=school.teachers[slot],
                assistant=school.assistants[slot],
                praise_rate=rng.lognormvariate(0, 0.45),
            )
            row = (
                child.id, school.id, f"S{school.number:02d}{i + 1:04d}", child.first_name,
                rng.choice(LAST_NAMES), born, year,
                f"{year}{'AB'[i % 2]}" if year else f"R{'AB'[i % 2]}",
                "ehc_plan" if rng.random() < 0.22 else "sen_support",
                rng.choices(needs, weights)[0],
                "remote" if rng.random() < 0.03 else "in_school", None,
            )  # fmt: skip
            sink.add(children, row)
            for membership in (child.teacher, child.assistant):
                sink.add(assignments, (sink.new_id(assignments), membership[0], child.id))
            school.children.append(len(world.children))
            world.children.append(child)


def _families(world: World, people: People) -> None:
    """Families at each school: siblings share a family, most have two parents, some
    of them separated; parents are numbered in the order their families come.

    The first family of scale-01 is the bench family: parent.01.0001 (mother) and her two
    children, in touch weekly and given a full history by every later section."""
    sink = world.sink
    links = sink.table(
        FamilyLink,
        (
            "id", "parent_id", "child_id", "relationship", "parental_responsibility",
            "preferred_channel", "preferred_language",
        ),
    )  # fmt: skip
    frequencies, shares = zip(*FREQUENCIES, strict=True)
    for school in world.schools:
        rng = world.rng("families", school.number)
        pending = list(school.children)
        number = 0
        first = True
        while pending:
            size = 2 if (first or rng.random() < 0.1) and len(pending) > 1 else 1
            members, pending = pending[:size], pending[size:]
            two_parents = first or rng.random() < 0.7
            family = Family(
                parents=[],
                children=members,
                frequency="weekly" if first else rng.choices(frequencies, shares)[0],
                activity=1.5 if first else rng.lognormvariate(0, 0.5),
                separated=two_parents and not first and rng.random() < 0.15,
                checkin="weekly" if first else rng.choices(
                    ("weekly", "fortnightly", "none"), (0.7, 0.18, 0.12)
                )[0],
            )  # fmt: skip
            surname = rng.choice(LAST_NAMES)
            roles = ("mother", "father") if two_parents else (rng.choice(("mother", "carer")),)
            for order, relationship in enumerate(roles):
                number += 1
                email = f"parent.{school.number:02d}.{number:04d}@{DOMAIN}"
                user_id = people.person(email, f"{rng.choice(ADULT_FIRST_NAMES)} {surname}")
                family.parents.append(user_id)
                channel = "phone" if family.separated and order == 1 else "email"
                language = "Polish" if rng.random() < 0.04 else "English"
                for index in members:
                    child_id = world.children[index].id
                    row = (
                        sink.new_id(links),
                        user_id,
                        child_id,
                        relationship,
                        True,
                        channel,
                        language,
                    )
                    sink.add(links, row)
            for index in members:
                world.children[index].family = len(world.families)
            world.families.append(family)
            first = False


def _key_contacts(world: World, people: People) -> None:
    sink = world.sink
    columns = (
        "id", "child_id", "membership_id", "name", "role_title", "about", "channel",
        "contact_detail", "hours", "order",
    )  # fmt: skip
    contacts = sink.table(KeyContact, columns)
    for school in world.schools:
        nn = f"{school.number:02d}"
        for index in school.children:
            child = world.children[index]
            kk = school.teachers.index(child.teacher) + 1
            rows = (
                (child.teacher[0], "Class teacher", "Day-to-day questions and how the week went",
                 "email", f"teacher.{nn}.{kk:02d}@{DOMAIN}", "Replies within one school day"),
                (school.sendco[0], "SENDCo (leads special educational needs support)",
                 "Targets, support plans and reviews", "phone", "01632 960 123",
                 "Tuesdays and Thursdays, 8:30-9:30"),
            )  # fmt: skip
            for order, (membership, title, about, channel, detail, hours) in enumerate(rows):
                name = people.names[membership]
                sink.add(
                    contacts,
                    (sink.new_id(contacts), child.id, membership, name, title, about, channel,
                     detail, hours, order),
                )  # fmt: skip
