"""In a separated family each parent's account of home life is theirs: the other parent
does not read it. Staff who work with the child read both."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import AssignmentFactory, FamilyLinkFactory
from tests.factories_plans import HomeObservationFactory, TargetFactory

MUM_SAYS = "Weekends at his father leave him unsettled on Mondays"
DAD_SAYS = "He read a whole page to me on Saturday"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(buffer, format="JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def separated(child):
    mum = FamilyLinkFactory(child=child, relationship="mother").parent
    dad = FamilyLinkFactory(child=child, relationship="father").parent
    target = TargetFactory(cycle__child=child)
    mum_note = HomeObservationFactory(
        child=child, author=mum, text=MUM_SAYS, target=target, photo=_jpeg()
    )
    HomeObservationFactory(child=child, author=dad, text=DAD_SAYS, target=target)
    return mum, dad, target, mum_note


def test_a_parent_does_not_read_the_other_parents_observations(
    client, child, separated, login_with_password
):
    mum, dad, target, mum_note = separated
    login_with_password(client, dad)
    pages = [
        f"/children/{child.pk}/",
        f"/children/{child.pk}/observations/",
        f"/targets/{target.pk}/",
    ]
    for path in pages:
        page = client.get(path).content.decode()
        assert DAD_SAYS in page, path
        assert MUM_SAYS not in page, path
    assert client.get(f"/observations/{mum_note.pk}/photo/").status_code == 404
    assert client.get(f"/observations/{mum_note.pk}/edit/").status_code == 404


def test_staff_who_work_with_the_child_read_both(
    client, school, child, separated, teacher, login_with_password
):
    AssignmentFactory(membership=teacher.memberships.get(), child=child)
    mum, dad, target, mum_note = separated
    login_with_password(client, teacher)
    for path in [f"/children/{child.pk}/observations/", f"/targets/{target.pk}/"]:
        page = client.get(path).content.decode()
        assert MUM_SAYS in page and DAD_SAYS in page, path
    assert client.get(f"/observations/{mum_note.pk}/photo/").status_code == 200
