"""Home observation pages: who may read, add, change, reply and see a photo."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partnership.plans.models import HomeObservation, ObservationReply
from tests.conftest import staff_member
from tests.factories import AssignmentFactory, ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_plans import HomeObservationFactory, PlanCycleFactory, TargetFactory


def jpeg(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def signed_in(client, login_with_password):
    def sign_in(user):
        client.logout()
        login_with_password(client, user)
        return client

    return sign_in


@pytest.fixture
def observation(child, parent):
    return HomeObservationFactory(child=child, author=parent, photo=jpeg())


@pytest.fixture
def cycle(child):
    return PlanCycleFactory(child=child)


def teaching(teacher, child):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    return teacher


# --- the parent's pages ---------------------------------------------------------------


def test_parent_adds_an_observation_with_a_photo_and_sees_it_listed(
    signed_in, child, parent, sendco, django_capture_on_commit_callbacks
):
    target = TargetFactory(cycle__child=child, outcome="Takes turns in a board game")
    client = signed_in(parent)
    form = client.get(f"/children/{child.pk}/observations/new/?target={target.pk}")
    assert form.status_code == 200
    assert f'<option value="{target.pk}" selected>'.encode() in form.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/children/{child.pk}/observations/new/",
            {"text": "He waited for his sister", "target": target.pk, "photo": jpeg()},
        )
    assert response.status_code == 302
    added = HomeObservation.objects.get()
    assert (added.author, added.target, bool(added.photo)) == (parent, target, True)
    page = client.get(response["Location"])
    assert b"He waited for his sister" in page.content
    assert b"Takes turns in a board game" in page.content
    assert f"/observations/{added.pk}/photo/".encode() in page.content
    assert f"/observations/{added.pk}/edit/".encode() in page.content


def test_target_choice_offers_only_this_childs_shared_targets(
    signed_in, child, parent, school, cycle
):
    TargetFactory(cycle=cycle, outcome="Mine, shared")
    TargetFactory(cycle=cycle, outcome="Mine, not shared yet", shared_at=None)
    TargetFactory(cycle__child=ChildFactory(school=school), outcome="Another child's")
    client = signed_in(parent)
    page = client.get(f"/children/{child.pk}/observations/new/").content.decode()
    assert "Mine, shared" in page
    assert "not shared yet" not in page and "Another child" not in page
    forged = client.post(
        f"/children/{child.pk}/observations/new/",
        {"text": "Hi", "target": TargetFactory(cycle__child=ChildFactory(school=school)).pk},
    )
    assert forged.status_code == 200 and not HomeObservation.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_on_the_form(signed_in, child, parent):
    fake = SimpleUploadedFile("x.jpg", b"not a picture at all", content_type="image/jpeg")
    response = signed_in(parent).post(
        f"/children/{child.pk}/observations/new/", {"text": "Hi", "photo": fake}
    )
    assert response.status_code == 200
    assert b"not a photo we can open" in response.content
    assert not HomeObservation.objects.exists()


def test_a_photo_over_the_limit_is_refused_on_the_form(signed_in, child, parent, settings):
    settings.PHOTO_MAX_BYTES = 200
    response = signed_in(parent).post(
        f"/children/{child.pk}/observations/new/", {"text": "Hi", "photo": jpeg((300, 300))}
    )
    assert b"The photo is too large" in response.content
    assert not HomeObservation.objects.exists()


def test_parent_edits_their_observation(signed_in, observation, parent):
    client = signed_in(parent)
    assert client.get(f"/observations/{observation.pk}/edit/").status_code == 200
    response = client.post(f"/observations/{observation.pk}/edit/", {"text": "Better words"})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.text == "Better words" and observation.edited_at


def test_withdraw_asks_first_then_hides_it_from_school(signed_in, observation, parent, sendco):
    client = signed_in(parent)
    confirm = client.get(f"/observations/{observation.pk}/withdraw/")
    assert confirm.status_code == 200 and b"Yes, withdraw it" in confirm.content
    observation.refresh_from_db()
    assert observation.withdrawn_at is None  # looking at the question changes nothing
    client.post(f"/observations/{observation.pk}/withdraw/")
    observation.refresh_from_db()
    assert observation.withdrawn_at is not None
    own_view = client.get(f"/children/{observation.child_id}/observations/").content
    assert b"Withdrawn on" in own_view
    client = signed_in(sendco)
    school_view = client.get(f"/children/{observation.child_id}/observations/")
    assert observation.text.encode() not in school_view.content
    assert client.get(f"/observations/{observation.pk}/photo/").status_code == 404


def test_after_a_reply_edit_and_withdraw_explain_and_change_nothing(
    signed_in, observation, parent, sendco
):
    ObservationReply.objects.create(observation=observation, author=sendco, text="Thanks!")
    client = signed_in(parent)
    for url, data in (
        (f"/observations/{observation.pk}/edit/", {"text": "Changed"}),
        (f"/observations/{observation.pk}/withdraw/", {}),
    ):
        response = client.post(url, data, follow=True)
        assert b"already replied" in response.content
    observation.refresh_from_db()
    assert observation.text != "Changed" and observation.withdrawn_at is None
    listed = client.get(f"/children/{observation.child_id}/observations/").content
    assert f"/observations/{observation.pk}/edit/".encode() not in listed


def test_another_parent_of_the_child_cannot_edit_or_withdraw(signed_in, observation, child):
    other = FamilyLinkFactory(child=child).parent
    client = signed_in(other)
    assert client.post(f"/observations/{observation.pk}/edit/", {"text": "X"}).status_code == 404
    assert client.post(f"/observations/{observation.pk}/withdraw/").status_code == 404
    observation.refresh_from_db()
    assert observation.text != "X" and observation.withdrawn_at is None


# --- staff ----------------------------------------------------------------------------


def test_teacher_of_the_child_replies_and_the_parent_sees_it(
    signed_in, observation, school, child, parent
):
    teacher = teaching(staff_member(school, "teacher", "t@example.test"), child)
    client = signed_in(teacher)
    page = client.get(f"/children/{child.pk}/observations/").content.decode()
    assert "Reply to the family" in page
    assert f"/children/{child.pk}/targets/new/?observation={observation.pk}" in page
    response = client.post(
        f"/observations/{observation.pk}/reply/",
        {"text": "He did it in class too", "next": f"/children/{child.pk}/observations/"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/observations/#observation-{observation.pk}")
    assert observation.replies.get().author == teacher
    parent_view = signed_in(parent).get(f"/children/{child.pk}/observations/").content
    assert b"He did it in class too" in parent_view
    assert b"Reply to the family" not in parent_view
    assert b"Use as baseline" not in parent_view


def test_reply_does_not_redirect_off_the_site(signed_in, observation, sendco):
    response = signed_in(sendco).post(
        f"/observations/{observation.pk}/reply/", {"text": "Hi", "next": "https://evil.test/"}
    )
    assert response["Location"].startswith(f"/children/{observation.child_id}/observations/")


def test_teacher_who_does_not_teach_the_child_cannot_reply(signed_in, observation, teacher):
    response = signed_in(teacher).post(f"/observations/{observation.pk}/reply/", {"text": "Hi"})
    assert response.status_code == 404
    assert not ObservationReply.objects.exists()


# --- nobody else ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_parent", "governor", "teacher", "sendco_elsewhere", "stranger"]
)
def test_outsiders_get_404_on_every_page_and_nothing_is_written(
    signed_in, observation, child, school, other_school, who, teacher, governor
):
    outsider = {
        "other_parent": lambda: FamilyLinkFactory(child=ChildFactory(school=school)).parent,
        "governor": lambda: governor,
        "teacher": lambda: teacher,  # teaches no one
        "sendco_elsewhere": lambda: staff_member(other_school, "sendco"),
        "stranger": lambda: UserFactory(),
    }[who]()
    client = signed_in(outsider)
    pk, child_id = observation.pk, child.pk
    gets = [
        f"/children/{child_id}/observations/",
        f"/children/{child_id}/observations/new/",
        f"/observations/{pk}/edit/",
        f"/observations/{pk}/withdraw/",
        f"/observations/{pk}/photo/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (f"/children/{child_id}/observations/new/", {"text": "Sneaky", "photo": jpeg()}),
        (f"/observations/{pk}/edit/", {"text": "Sneaky"}),
        (f"/observations/{pk}/withdraw/", {}),
        (f"/observations/{pk}/reply/", {"text": "Sneaky"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert HomeObservation.objects.count() == 1
    observation.refresh_from_db()
    assert observation.text != "Sneaky" and observation.withdrawn_at is None
    assert not ObservationReply.objects.exists()


def test_staff_cannot_add_an_observation_as_if_they_were_the_family(signed_in, child, sendco):
    response = signed_in(sendco).post(f"/children/{child.pk}/observations/new/", {"text": "Hi"})
    assert response.status_code == 404
    assert not HomeObservation.objects.exists()


# --- the photo ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["parent", "sendco", "class_teacher"])
def test_photo_is_served_privately_to_those_who_see_the_child(
    signed_in, observation, who, parent, sendco, school, child
):
    viewer = {
        "parent": lambda: parent,
        "sendco": lambda: sendco,
        "class_teacher": lambda: teaching(staff_member(school, "teacher"), child),
    }[who]()
    response = signed_in(viewer).get(f"/observations/{observation.pk}/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG


def test_observation_without_a_photo_has_no_photo_url(signed_in, child, parent):
    bare = HomeObservationFactory(child=child, author=parent)
    assert signed_in(parent).get(f"/observations/{bare.pk}/photo/").status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, observation):
    response = client.get(f"/observations/{observation.pk}/photo/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- queries do not grow with data ----------------------------------------------------


def _observations_with_replies(cycle, parent, staff, n):
    child = cycle.child
    for i in range(n):
        target = TargetFactory(cycle=cycle) if i % 5 == 0 else None
        obs = HomeObservationFactory(child=child, author=parent, target=target)
        ObservationReply.objects.create(observation=obs, author=staff, text=f"Reply {i}")
        ObservationReply.objects.create(observation=obs, author=None, text=f"Again {i}")


@pytest.mark.parametrize("viewer", ["parent", "sendco"])
def test_observation_list_runs_the_same_queries_for_5_or_50(
    signed_in, child, parent, sendco, viewer, cycle, django_assert_num_queries
):
    who = {"parent": parent, "sendco": sendco}[viewer]
    client = signed_in(who)
    url = f"/children/{child.pk}/observations/"
    _observations_with_replies(cycle, parent, sendco, 5)
    client.get(url)
    # session, the user with their standing (+ the TOTP check for staff), the child, is a
    # parent?, (for staff) is staff?, count for the pager, the page of observations with
    # author and target, their replies with authors; for staff, the audit trail's look-up
    # of the child and its INSERT of the read.
    expected = 7 if viewer == "parent" else 11
    with django_assert_num_queries(expected):
        few = client.get(url)
    _observations_with_replies(cycle, parent, sendco, 45)
    with django_assert_num_queries(expected):
        many = client.get(url)
    assert few.content.count(b'class="observation ') == 5
    assert many.content.count(b'class="observation ') == 25
    assert b"Page 1 of 2" in many.content


def test_png_photo_is_served_as_png(signed_in, child, parent):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="PNG")
    png = SimpleUploadedFile("drawing.png", buffer.getvalue(), content_type="image/png")
    client = signed_in(parent)
    client.post(f"/children/{child.pk}/observations/new/", {"text": "A drawing", "photo": png})
    added = HomeObservation.objects.get()
    response = client.get(f"/observations/{added.pk}/photo/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'inline; filename="observation-{added.pk}.png"'
