"""Parents see their children's praise – on their home, the child page and the praise
feed – and nobody else's; staff see a child's praise with the thanks that came back."""

import datetime
from html import unescape

import pytest
from django.utils import timezone

from partnership.praise.selectors import when_given
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_plans import PlanCycleFactory, TargetFactory
from tests.factories_praise import PraiseFactory, PraiseThanksFactory, PraiseValueFactory


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def adult(school):
    return UserFactory(full_name="Maya Patel")


@pytest.fixture
def kindness(school):
    return PraiseValueFactory(school=school, name="Kindness")


@pytest.fixture
def brother(school, parent):
    """Ava's brother, at the same school, with the same parent."""
    leo = ChildFactory(school=school, first_name="Leo", last_name="Adams")
    FamilyLinkFactory(child=leo, parent=parent)
    return leo


@pytest.fixture
def stranger(school, kindness, adult):
    """Another family at the same school, with praise of its own."""
    zac = ChildFactory(school=school, first_name="Zac", last_name="Other")
    link = FamilyLinkFactory(child=zac)
    PraiseFactory(child=zac, value=kindness, given_by=adult, note="Zac read aloud to the class")
    return link.parent, zac


def ago(**kwargs) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**kwargs)


# The parent's home ------------------------------------------------------------------------


def test_home_shows_the_latest_five_across_the_children_each_saying_which_child(
    client, child, brother, parent, kindness, adult, stranger
):
    for day in range(6):
        PraiseFactory(
            child=child if day % 2 else brother,
            value=kindness,
            given_by=adult,
            given_at=ago(days=day, hours=1),
            note=f"Kind moment number {day}",
        )
    client.force_login(parent)
    html = html_of(client.get("/parent/"))
    for day in range(5):
        assert f"Kind moment number {day}" in html
    assert "Kind moment number 5" not in html  # the sixth waits on the feed
    assert html.index("Kind moment number 0") < html.index("Kind moment number 1")
    assert "Leo</span> ·" in html and "Ava</span> ·" in html
    assert "From Maya Patel" in html and "Kindness" in html
    assert "See all praise" in html
    assert "Zac read aloud" not in html


def test_home_says_when_in_words_a_parent_reads_at_a_glance(client, child, parent, kindness):
    PraiseFactory(child=child, value=kindness, given_at=timezone.now(), note="Shared the paints")
    client.force_login(parent)
    assert ">Today</time>" in html_of(client.get("/parent/"))


def test_home_without_praise_says_what_will_appear(client, child, parent):
    client.force_login(parent)
    html = html_of(client.get("/parent/"))
    assert "No praise yet. When school staff notice something your child has done well" in html
    assert "See all praise" not in html


def test_praise_names_a_shared_target_with_how_to_help_at_home(client, child, parent, kindness):
    target = TargetFactory(
        cycle=PlanCycleFactory(child=child),
        outcome="Ava takes turns in a game",
        how_to_help_at_home="Play snap after tea",
    )
    PraiseFactory(child=child, value=kindness, target=target, note="Waited for her turn")
    client.force_login(parent)
    html = html_of(client.get("/parent/"))
    assert "About the target:" in html and "Ava takes turns in a game" in html
    assert "<summary>How to help at home</summary>" in html and "Play snap after tea" in html


def test_an_unshared_target_stays_hidden_from_the_family_but_the_praise_shows(
    client, child, parent, sendco, kindness
):
    draft = TargetFactory(
        cycle=PlanCycleFactory(child=child), outcome="Draft target words", shared_at=None
    )
    PraiseFactory(child=child, value=kindness, target=draft, note="Tried something new")
    PraiseFactory(child=child, value=kindness, note="No target here", given_at=ago(days=1))
    client.force_login(parent)
    for url in ("/parent/", f"/children/{child.pk}/", "/praise/"):
        html = html_of(client.get(url))
        assert "Tried something new" in html and "No target here" in html
        assert "Draft target words" not in html and "About the target" not in html
    client.force_login(sendco)
    html = html_of(client.get(f"/children/{child.pk}/praise/"))
    assert "Draft target words" in html and "Not shared with the family yet" in html


def test_praise_about_a_target_from_an_earlier_plan_says_so(client, child, parent, kindness):
    old = TargetFactory(cycle=PlanCycleFactory(child=child, status="closed"))
    PraiseFactory(child=child, value=kindness, target=old)
    client.force_login(parent)
    assert "from an earlier plan" in html_of(client.get("/praise/"))


# The child page ---------------------------------------------------------------------------


def test_child_page_shows_the_childs_praise_to_the_parent_with_a_thank_you_button(
    client, child, brother, parent, kindness
):
    PraiseFactory(child=child, value=kindness, note="Ava helped a friend")
    PraiseFactory(child=brother, value=kindness, note="Leo tidied up")
    client.force_login(parent)
    html = html_of(client.get(f"/children/{child.pk}/"))
    assert "Praise for Ava" in html and "Ava helped a friend" in html
    assert "Leo tidied up" not in html
    assert "Say thank you" in html
    assert f"/children/{child.pk}/praise/" in html


def test_staff_see_the_thanks_and_separated_parents_each_see_only_their_own(
    client, child, parent, sendco, kindness
):
    other_parent = FamilyLinkFactory(child=child, parent__full_name="Sam Adams").parent
    parent.full_name = "Jo Adams"
    parent.save()
    praise = PraiseFactory(child=child, value=kindness, note="Ava sang in assembly")
    PraiseThanksFactory(praise=praise, parent=parent, message="Mum's private words")
    PraiseThanksFactory(praise=praise, parent=other_parent, message="Dad's private words")

    client.force_login(sendco)
    for url in (f"/children/{child.pk}/", f"/children/{child.pk}/praise/"):
        html = html_of(client.get(url))
        assert "Jo Adams said thank you: “Mum's private words”" in html
        assert "Sam Adams said thank you: “Dad's private words”" in html

    client.force_login(parent)
    for url in ("/parent/", f"/children/{child.pk}/", "/praise/", f"/children/{child.pk}/praise/"):
        html = html_of(client.get(url))
        assert "You said thank you: “Mum's private words”" in html
        assert "Dad's private words" not in html and "Sam Adams" not in html


def test_one_parent_thanking_leaves_the_other_parent_their_own_button(
    client, child, parent, kindness
):
    other_parent = FamilyLinkFactory(child=child).parent
    praise = PraiseFactory(child=child, value=kindness)
    PraiseThanksFactory(praise=praise, parent=parent, message="Lovely")
    client.force_login(other_parent)
    html = html_of(client.get(f"/children/{child.pk}/"))
    assert "Say thank you" in html and "You said thank you" not in html
    assert "Lovely" not in html


def test_another_familys_child_page_and_praise_page_are_not_found(client, parent, stranger):
    _, zac = stranger
    client.force_login(parent)
    assert client.get(f"/children/{zac.pk}/").status_code == 404
    assert client.get(f"/children/{zac.pk}/praise/").status_code == 404


# The praise pages -------------------------------------------------------------------------


def test_feed_pages_through_the_praise_of_every_child_twenty_at_a_time(
    client, child, brother, parent, kindness, stranger
):
    for n in range(25):
        PraiseFactory(
            child=brother if n % 2 else child,
            value=kindness,
            given_at=ago(days=n, minutes=1),
            note=f"Praise item {n:02d}",
        )
    client.force_login(parent)
    first = html_of(client.get("/praise/"))
    assert first.count('class="praise-item"') == 20
    assert "Praise item 00" in first and "Praise item 20" not in first
    assert "Page 1 of 2" in first
    second = html_of(client.get("/praise/?page=2"))
    assert second.count('class="praise-item"') == 5 and "Praise item 24" in second
    assert "Zac read aloud" not in first + second


def test_feed_filters_to_one_of_the_parents_children(client, child, brother, parent, kindness):
    PraiseFactory(child=child, value=kindness, note="Ava's praise")
    PraiseFactory(child=brother, value=kindness, note="Leo's praise")
    client.force_login(parent)
    html = html_of(client.get(f"/praise/?child={brother.pk}"))
    assert "Leo's praise" in html and "Ava's praise" not in html
    assert "Praise for Leo" in html
    assert f'href="/praise/?child={brother.pk}" aria-current="page"' in html


@pytest.mark.parametrize("wanted", ["other", "999999", "not-a-number"])
def test_feed_answers_404_for_a_child_that_is_not_the_parents(
    client, child, parent, stranger, wanted
):
    _, zac = stranger
    client.force_login(parent)
    value = str(zac.pk) if wanted == "other" else wanted
    assert client.get(f"/praise/?child={value}").status_code == 404


def test_feed_with_no_praise_yet_says_so_kindly(client, child, parent):
    client.force_login(parent)
    html = html_of(client.get("/praise/"))
    assert "No praise yet. When school staff notice something your child has done well" in html


def test_feed_is_for_families_only(client, sendco):
    client.force_login(sendco)
    assert client.get("/praise/").status_code == 404


def test_childs_praise_page_is_for_those_who_may_see_the_child(
    client, school, child, kindness, teacher, governor, sendco
):
    PraiseFactory(child=child, value=kindness, note="Ava counted to twenty")
    for outsider in (teacher, governor):  # unassigned teacher; governors never see a child
        client.force_login(outsider)
        assert client.get(f"/children/{child.pk}/praise/").status_code == 404
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    client.force_login(teacher)
    assert "Ava counted to twenty" in html_of(client.get(f"/children/{child.pk}/praise/"))
    assert client.get("/praise/").status_code == 404


# Query counts -----------------------------------------------------------------------------


def grow(child, parent, kindness, adult, n):
    """n more praise for the child, each thanked, half of them about a shared target."""
    target = TargetFactory(cycle=PlanCycleFactory(child=child)) if n == 1 else None
    target = target or child.targets.first()
    for i in range(n):
        praise = PraiseFactory(
            child=child, value=kindness, given_by=adult, target=target if i % 2 == 0 else None
        )
        PraiseThanksFactory(praise=praise, parent=parent)


def _settle(client, viewer, url, login_with_password):
    login_with_password(client, viewer)
    client.get(url)  # the first visit settles the session


@pytest.mark.parametrize(
    "url, queries",
    [
        # session, the user with their standing; the parent's children with school and
        # contact plan, and their key contacts (2); the ids of the latest praise, then
        # those with child, school, value, adult, target and cycle joined and the parent's
        # own thanks by subquery (2); upcoming meetings (1); meetings with the SENDCo this
        # year (1); the next group sessions (1, none here); consultations waiting for
        # their views (1).
        ("/parent/", 10),
        # session, the user with their standing; the parent's children; the count and the
        # page of praise (2).
        ("/praise/", 5),
    ],
)
def test_parent_pages_run_the_same_queries_at_ten_times_the_praise(
    client,
    child,
    parent,
    kindness,
    adult,
    url,
    queries,
    login_with_password,
    django_assert_num_queries,
):
    grow(child, parent, kindness, adult, 1)
    _settle(client, parent, url, login_with_password)
    with django_assert_num_queries(queries):
        html_of(client.get(url))
    grow(child, parent, kindness, adult, 9)
    with django_assert_num_queries(queries):
        html = html_of(client.get(url))
    assert html.count("You said thank you") == (5 if url == "/parent/" else 10)


@pytest.mark.parametrize(
    "who, child_page_queries, praise_page_queries",
    [
        # The child page: its own queries (tests/plans/test_child_page.py) plus two for
        # the latest praise (their ids, then the rows). The praise page: session, the user
        # with their standing; the child; the count and the page of praise. A parent's
        # standing says they are no staff, so "staff for this child?" is not asked, and
        # their read is not recorded.
        ("parent", 12, 5),
        # Staff also pass the gate's TOTP check, are asked "staff for this child?" and
        # have the thanks prefetched with the parents' names (+2 on the praise page); the
        # audit trail looks the child up and INSERTs the read.
        ("sendco", 17, 10),
    ],
)
def test_child_pages_run_the_same_queries_at_ten_times_the_praise(
    client,
    child,
    parent,
    sendco,
    kindness,
    adult,
    who,
    child_page_queries,
    praise_page_queries,
    login_with_password,
    django_assert_num_queries,
):
    viewer = {"parent": parent, "sendco": sendco}[who]
    grow(child, parent, kindness, adult, 1)
    _settle(client, viewer, f"/children/{child.pk}/", login_with_password)
    pages = [
        (f"/children/{child.pk}/", child_page_queries),
        (f"/children/{child.pk}/praise/", praise_page_queries),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            html_of(client.get(url))
    grow(child, parent, kindness, adult, 9)
    for url, queries in pages:
        with django_assert_num_queries(queries):
            html = html_of(client.get(url))
        assert html.count('class="praise-item"') == (5 if url.endswith(f"{child.pk}/") else 10)


# When, in words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, words",
    [
        (datetime.datetime(2026, 11, 24, 8, 0, tzinfo=datetime.UTC), "Today"),
        (datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC), "Yesterday"),
        (datetime.datetime(2026, 11, 19, 10, 0, tzinfo=datetime.UTC), "Thursday"),
        (datetime.datetime(2026, 11, 3, 10, 0, tzinfo=datetime.UTC), "3 Nov"),
        (datetime.datetime(2025, 12, 19, 10, 0, tzinfo=datetime.UTC), "19 Dec 2025"),
    ],
)
def test_when_reads_like_a_person_would_say_it(given, words):
    now = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)  # a Tuesday
    assert when_given(given, time_zone="Europe/London", now=now) == words


def test_when_is_counted_in_the_schools_time_zone():
    # 23:30 UTC on 1 June is already 2 June in London (BST).
    given = datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC)
    now = datetime.datetime(2026, 6, 2, 12, 0, tzinfo=datetime.UTC)
    assert when_given(given, time_zone="Europe/London", now=now) == "Today"
    assert when_given(given, time_zone="UTC", now=now) == "Yesterday"
