"""The export pages: who may use them, what they download, and the audit row."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnership.audit.models import AuditEvent
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory

from .export_family import build_family, open_export, texts


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def family(school, sendco):
    return build_family(school, sendco=sendco)


def _urls(family) -> dict[str, str]:
    slug, child, mum = family.school.slug, family.child.pk, family.mum.pk
    return {
        "choose": reverse("subject_export", kwargs={"slug": slug}),
        "child_confirm": reverse(
            "subject_export_child_confirm", kwargs={"slug": slug, "child_id": child}
        ),
        "child_zip": reverse("subject_export_child", kwargs={"slug": slug, "child_id": child}),
        "parent_confirm": reverse(
            "subject_export_parent_confirm", kwargs={"slug": slug, "user_id": mum}
        ),
        "parent_zip": reverse("subject_export_parent", kwargs={"slug": slug, "user_id": mum}),
    }


def test_urls_are_ids_only(family):
    urls = _urls(family)
    assert urls["child_zip"] == f"/schools/riverside/exports/child/{family.child.pk}.zip"
    assert urls["parent_zip"] == f"/schools/riverside/exports/parent/{family.mum.pk}.zip"


@pytest.mark.parametrize("role", ["administrator", "sendco"])
def test_administrator_and_sendco_choose_confirm_and_download(client, family, sendco, role):
    user = staff_member(family.school, role) if role == "administrator" else sendco
    client.force_login(user)
    urls = _urls(family)

    page = client.get(urls["choose"], {"q": "Ava"})
    assert page.status_code == 200
    assert urls["child_confirm"] in page.content.decode()
    parents = client.get(urls["choose"], {"kind": "parent", "q": family.mum.email})
    assert urls["parent_confirm"] in parents.content.decode()

    confirm = client.get(urls["child_confirm"])
    assert confirm.status_code == 200
    assert "check it for information about other people" in confirm.content.decode()
    assert urls["child_zip"] in confirm.content.decode()

    download = client.get(urls["child_zip"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert f'filename="child-{family.child.pk}-records.zip"' in download["Content-Disposition"]
    data, html, _ = open_export(b"".join(download.streaming_content))
    assert "SHARED-TARGET" in texts(data) and "Ava Adams" in html
    event = AuditEvent.objects.get(action="export", what="subject_export_child")
    assert (event.user_id, event.child_id, event.school_id) == (
        user.pk,
        family.child.pk,
        family.school.pk,
    )

    assert client.get(urls["parent_confirm"]).status_code == 200
    download = client.get(urls["parent_zip"])
    data, _, _ = open_export(b"".join(download.streaming_content))
    assert "MUM-OBS" in texts(data) and "DAD-OBS" not in texts(data)
    event = AuditEvent.objects.get(action="export", what="subject_export_parent")
    assert event.object_id == family.mum.pk and event.child_id is None


@pytest.mark.parametrize(
    "name", ["choose", "child_confirm", "child_zip", "parent_confirm", "parent_zip"]
)
def test_everyone_else_gets_404(client, family, other_school, name):
    url = _urls(family)[name]
    outsiders = [
        staff_member(other_school, "administrator"),  # another school's administrator
        staff_member(family.school, "teacher"),
        staff_member(family.school, "governor"),
        family.mum,
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_a_child_or_parent_of_another_school_is_404_even_for_an_administrator(
    client, family, administrator, other_school
):
    elsewhere = ChildFactory(school=other_school)
    their_parent = FamilyLinkFactory(child=elsewhere).parent
    client.force_login(administrator)
    slug = family.school.slug
    for name, kwargs in (
        ("subject_export_child", {"child_id": elsewhere.pk}),
        ("subject_export_child_confirm", {"child_id": elsewhere.pk}),
        ("subject_export_parent", {"user_id": their_parent.pk}),
        ("subject_export_parent", {"user_id": administrator.pk}),  # staff, not a parent here
    ):
        assert client.get(reverse(name, kwargs={"slug": slug, **kwargs})).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_download_changes_nothing_so_post_is_refused(client, family, administrator):
    client.force_login(administrator)
    assert client.post(_urls(family)["child_zip"]).status_code == 405


def test_empty_search_says_so(client, family, administrator):
    client.force_login(administrator)
    page = client.get(_urls(family)["choose"], {"q": "Nobody-by-this-name"})
    assert "No one matches that search" in page.content.decode()


def test_management_command_writes_child_and_parent_exports(family, tmp_path):
    child_zip = tmp_path / "child.zip"
    call_command("export_subject", "--child", str(family.child.pk), "--out", str(child_zip))
    data, _, _ = open_export(child_zip.read_bytes())
    assert "DAD-OBS" in texts(data)

    parent_zip = tmp_path / "parent.zip"
    call_command(
        "export_subject",
        "--parent",
        family.mum.email.upper(),
        "--school",
        family.school.slug,
        "--out",
        str(parent_zip),
    )
    data, _, _ = open_export(parent_zip.read_bytes())
    assert "MUM-OBS" in texts(data) and "DAD-OBS" not in texts(data)
    assert AuditEvent.objects.filter(action="export", what="export_subject_command").count() == 2

    with pytest.raises(CommandError, match="already exists"):
        call_command("export_subject", "--child", str(family.child.pk), "--out", str(child_zip))
    with pytest.raises(CommandError, match="No one"):
        call_command("export_subject", "--parent", "nobody@example.test", "--out", "x.zip")
