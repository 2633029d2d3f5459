"""Home observations: the rules of adding, changing, withdrawing and replying, and the
emails that tell staff a family has written."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partnership.notifications.models import OutboxMessage
from partnership.plans.models import HomeObservation, ObservationReply
from partnership.plans.services.observations import (
    ObservationRefused,
    observation_add,
    observation_edit,
    observation_notify_staff,
    observation_reply,
    observation_withdraw,
)
from tests.conftest import staff_member
from tests.factories import ChildFactory, KeyContactFactory, UserFactory
from tests.factories_plans import HomeObservationFactory, TargetFactory

SECRET_TEXT = "He told us about the fight at the bus stop"


def photo(fmt="JPEG", name="holiday.jpg", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def observation(child, parent):
    return HomeObservationFactory(child=child, author=parent)


# --- adding ---------------------------------------------------------------------------


def test_parent_adds_an_observation_about_a_shared_target_with_a_photo(child, parent):
    target = TargetFactory(cycle__child=child)
    added = observation_add(
        child=child, author=parent, text="  Waited for his turn  ", target=target, photo=photo()
    )
    added.refresh_from_db()
    assert added.text == "Waited for his turn"
    assert added.target == target
    assert added.photo.name.startswith(f"observations/{child.pk}/")
    assert added.photo.name.endswith(".jpg")
    assert "holiday" not in added.photo.name  # no names from the family's phone in paths


def test_photo_is_stored_under_what_it_is_not_what_it_was_called(child, parent):
    added = observation_add(
        child=child, author=parent, text="Drew a map", photo=photo("PNG", name="map.jpg")
    )
    assert added.photo.name.endswith(".png")


def test_webp_photo_is_accepted_and_kept_as_jpeg(child, parent):
    added = observation_add(
        child=child, author=parent, text="Drew a map", photo=photo("WEBP", name="a.webp")
    )
    assert added.photo.name.endswith(".jpg")


def test_location_and_other_metadata_are_removed_from_a_photo(child, parent):
    """A phone photo's EXIF can hold the GPS position of the family's home."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x010E] = "12 Acacia Road"  # image description: stands in for a GPS position
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 1000), (10, 20, 30)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("IMG_0002.jpg", buffer.getvalue(), content_type="image/jpeg")
    with Image.open(io.BytesIO(buffer.getvalue())) as original:
        assert original.getexif()  # the test photo really carries metadata

    added = observation_add(child=child, author=parent, text="At the park", photo=upload)

    with Image.open(added.photo.path) as stored:
        assert not stored.getexif()
        stored_bytes = added.photo.open("rb").read()
        assert b"PhoneMaker" not in stored_bytes and b"Acacia" not in stored_bytes
        assert max(stored.size) == 2000  # scaled down, proportions kept
        assert stored.size == (2000, 667)


def test_photo_larger_than_the_limit_is_refused_with_the_limit_named(child, parent, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    big = photo("PNG", name="big.png", size=(2000, 2000))
    big.size = 2 * 1024 * 1024
    with pytest.raises(ObservationRefused, match="too large.*1 MB"):
        observation_add(child=child, author=parent, text="Big", photo=big)
    assert not HomeObservation.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused(child, parent):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(ObservationRefused, match="not a photo we can open"):
        observation_add(child=child, author=parent, text="A letter", photo=fake)
    assert not HomeObservation.objects.exists()


def test_a_picture_in_another_format_is_refused(child, parent):
    with pytest.raises(ObservationRefused, match="JPEG, PNG or WebP"):
        observation_add(child=child, author=parent, text="A gif", photo=photo("GIF", "a.gif"))


def test_target_must_be_one_of_the_childs_shared_targets(child, parent, school):
    unshared = TargetFactory(cycle__child=child, shared_at=None)
    someone_elses = TargetFactory(cycle__child=ChildFactory(school=school))
    for target in (unshared, someone_elses):
        with pytest.raises(ObservationRefused):
            observation_add(child=child, author=parent, text="Hi", target=target)
    assert not HomeObservation.objects.exists()


def test_an_empty_observation_is_refused(child, parent):
    with pytest.raises(ObservationRefused, match="write what you saw"):
        observation_add(child=child, author=parent, text="   ")


# --- editing and withdrawing ----------------------------------------------------------


def test_author_edits_before_any_reply_and_it_shows_as_edited(observation, parent):
    target = TargetFactory(cycle__child=observation.child)
    observation_edit(observation=observation, by=parent, text="He waited twice", target=target)
    observation.refresh_from_db()
    assert observation.text == "He waited twice"
    assert observation.target == target
    assert observation.edited_at is not None


def test_another_parent_of_the_same_child_cannot_edit_or_withdraw(observation, child):
    other_parent = UserFactory()
    with pytest.raises(ObservationRefused, match="Only the person who wrote"):
        observation_edit(observation=observation, by=other_parent, text="Changed")
    with pytest.raises(ObservationRefused, match="Only the person who wrote"):
        observation_withdraw(observation=observation, by=other_parent)
    observation.refresh_from_db()
    assert observation.text != "Changed" and observation.withdrawn_at is None


def test_after_a_reply_the_author_can_neither_edit_nor_withdraw(observation, parent, sendco):
    observation_reply(observation=observation, by=sendco, text="Lovely to hear!")
    with pytest.raises(ObservationRefused, match="already replied"):
        observation_edit(observation=observation, by=parent, text="Changed")
    with pytest.raises(ObservationRefused, match="already replied"):
        observation_withdraw(observation=observation, by=parent)
    observation.refresh_from_db()
    assert observation.text != "Changed" and observation.withdrawn_at is None


def test_edit_judges_by_the_database_not_a_stale_copy(observation, parent, sendco):
    stale = HomeObservation.objects.get(pk=observation.pk)
    ObservationReply.objects.create(observation=observation, author=sendco, text="Seen")
    with pytest.raises(ObservationRefused):
        observation_edit(observation=stale, by=parent, text="Changed")


def test_author_withdraws_and_cannot_change_it_afterwards(observation, parent):
    observation_withdraw(observation=observation, by=parent)
    observation.refresh_from_db()
    assert observation.withdrawn_at is not None
    with pytest.raises(ObservationRefused, match="withdrawn"):
        observation_edit(observation=observation, by=parent, text="Back again")


# --- replies --------------------------------------------------------------------------


def test_staff_reply_is_kept_with_its_author(observation, sendco):
    reply = observation_reply(observation=observation, by=sendco, text="  Thank you!  ")
    assert list(observation.replies.values_list("text", "author")) == [("Thank you!", sendco.pk)]
    assert reply.observation == observation


def test_no_reply_to_a_withdrawn_observation_or_an_empty_one(observation, parent, sendco):
    with pytest.raises(ObservationRefused, match="write a reply"):
        observation_reply(observation=observation, by=sendco, text=" ")
    observation_withdraw(observation=observation, by=parent)
    with pytest.raises(ObservationRefused, match="withdrawn"):
        observation_reply(observation=observation, by=sendco, text="Thanks")
    assert not ObservationReply.objects.exists()


# --- emails to staff ------------------------------------------------------------------


def _add(child, parent, callbacks, **kwargs):
    with callbacks(execute=True):
        return observation_add(child=child, author=parent, text=SECRET_TEXT, **kwargs)


def test_each_key_contact_on_the_portal_gets_one_email_naming_the_child_by_first_name(
    child, parent, school, django_capture_on_commit_callbacks, settings
):
    teacher = staff_member(school, "teacher", "class.teacher@example.test")
    assistant = staff_member(school, "teaching_assistant", "ta@example.test")
    staff_member(school, "sendco", "sendco@example.test")  # not told: key contacts exist
    KeyContactFactory(child=child, membership=teacher.memberships.get())
    KeyContactFactory(child=child, membership=assistant.memberships.get())
    KeyContactFactory(child=child, membership=None, name="Office")  # not on the portal
    added = _add(child, parent, django_capture_on_commit_callbacks, photo=photo())

    assert sorted(message.to[0] for message in mail.outbox) == [
        "class.teacher@example.test",
        "ta@example.test",
    ]
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for text in (message.subject, message.body, html):
            assert SECRET_TEXT not in text
            assert child.last_name not in text
        assert "Ava" in message.subject
        assert f"{settings.SITE_URL}/children/{child.pk}/" in message.body
    assert set(OutboxMessage.objects.values_list("key", "kind")) == {
        (f"observation-added:{added.pk}:{teacher.pk}", "observation_added"),
        (f"observation-added:{added.pk}:{assistant.pk}", "observation_added"),
    }


def test_without_key_contacts_the_schools_sendcos_are_told(
    child, parent, school, other_school, django_capture_on_commit_callbacks
):
    staff_member(school, "sendco", "sendco@example.test")
    staff_member(school, "sendco", "deputy.sendco@example.test")
    staff_member(other_school, "sendco", "elsewhere@example.test")
    staff_member(school, "teacher", "teacher@example.test")
    _add(child, parent, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "deputy.sendco@example.test",
        "sendco@example.test",
    ]


def test_a_key_contact_who_has_left_is_not_told(
    child, parent, school, django_capture_on_commit_callbacks
):
    left = staff_member(school, "teacher", "left@example.test")
    KeyContactFactory(child=child, membership=left.memberships.get())
    left.memberships.update(is_active=False)
    staff_member(school, "sendco", "sendco@example.test")
    _add(child, parent, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == ["sendco@example.test"]


def test_telling_staff_twice_sends_each_email_once(
    child, parent, sendco, django_capture_on_commit_callbacks
):
    added = _add(child, parent, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert observation_notify_staff(observation=added) == 0
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.count() == 1
