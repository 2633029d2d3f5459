import pytest
from django.core.management import CommandError, call_command

from partnership.accounts.models import User
from partnership.schools.models import Child, FamilyLink, KeyContact, Membership, SendStatus


def _counts():
    return (
        User.objects.count(),
        Child.objects.count(),
        FamilyLink.objects.count(),
        KeyContact.objects.count(),
        Membership.objects.count(),
    )


def test_seed_demo_builds_the_demo_school_and_is_idempotent(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first

    out = capsys.readouterr().out
    for login in [
        "admin@example.org",
        "sendco@example.org",
        "teacher@example.org",
        "parent@example.org",
        "governor@example.org",
        "demo-partnership",
    ]:
        assert login in out

    assert 25 <= Child.objects.count() <= 35
    parent = User.objects.get(email="parent@example.org")
    assert parent.check_password("demo-partnership")
    statuses = set(Child.objects.of_parent(parent).values_list("send_status", flat=True))
    assert statuses == {SendStatus.EHC_PLAN, SendStatus.SEN_SUPPORT}
    # the separated family: one child, two parents with their own accounts
    assert any(
        Child.objects.filter(pk=c.pk).get().family_links.count() == 2 for c in Child.objects.all()
    )
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"administrator", "sendco", "teacher", "teaching_assistant", "governor"}
    assert set(Child.objects.values_list("year_group", flat=True)) & {7, 8, 9, 10, 11}
    assert Child.objects.filter(attendance="remote").exists()


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("seed_demo")
    assert not User.objects.filter(email="parent@example.org").exists()
