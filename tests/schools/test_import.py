"""Importing children and families from a school's MIS export (service, command, page)."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from partnership.accounts.models import Invitation, User
from partnership.notifications.models import OutboxMessage
from partnership.schools.importing import ImportFailed, children_import
from partnership.schools.models import Child, FamilyLink
from tests.conftest import staff_member
from tests.factories import ChildFactory, FamilyLinkFactory, UserFactory

HEADER = (
    "mis_id,first_name,last_name,date_of_birth,year_group,class_name,send_status,"
    "primary_need,attendance,parent_email,parent_name,relationship,parental_responsibility,"
    "preferred_channel,preferred_language\n"
)
# Ava has two parents; Kim Adams is the parent of Ava and of Noah; Leo has no parent yet.
GOOD_ROWS = (
    "A1001,Ava,Adams,04/05/2016,Year 4,4A,EHC plan,ASD,,kim@example.test,Kim Adams,Mother,yes,,\n"
    "A1001,Ava,Adams,04/05/2016,Year 4,4A,EHC plan,ASD,,lee@example.test,Lee Adams,father,no,"
    "Text message,Polish\n"
    "A1002,Noah,Adams,2013-09-01,Y7,7B,K,slcn,remote,KIM@example.test,Kim Adams,Mother,1,,\n"
    "B2002,Leo,Brown,2019-01-17,Reception,RB,sen_support,SEMH,,,,,,,\n"
)
GOOD_FILE = HEADER + GOOD_ROWS


def db_counts() -> dict[str, int]:
    return {
        "children": Child.objects.count(),
        "links": FamilyLink.objects.count(),
        "people": User.objects.count(),
        "invitations": Invitation.objects.count(),
        "emails": OutboxMessage.objects.count(),
    }


def test_good_file_creates_children_with_their_details(school):
    result = children_import(school=school, csv_file=GOOD_FILE)

    assert (result.children_created, result.children_updated) == (3, 0)
    ava = Child.objects.get(school=school, mis_id="A1001")
    assert (ava.full_name, ava.date_of_birth) == ("Ava Adams", datetime.date(2016, 5, 4))
    assert (ava.year_group, ava.class_name, ava.send_status) == (4, "4A", "ehc_plan")
    assert (ava.primary_need, ava.attendance) == ("ASD", "in_school")
    noah = Child.objects.get(school=school, mis_id="A1002")
    assert (noah.year_group, noah.send_status, noah.primary_need) == (7, "sen_support", "SLCN")
    assert noah.attendance == "remote"
    leo = Child.objects.get(school=school, mis_id="B2002")
    assert (leo.year_group, leo.family_links.count()) == (0, 0)


def test_good_file_links_parents_and_invites_each_new_parent_once(
    school, sendco, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = children_import(school=school, csv_file=GOOD_FILE, invited_by=sendco)

    assert (result.parents_linked, result.invitations_sent) == (3, 2)
    ava = Child.objects.get(mis_id="A1001")
    assert sorted(ava.family_links.values_list("parent__email", "relationship")) == [
        ("kim@example.test", "mother"),
        ("lee@example.test", "father"),
    ]
    lee_link = ava.family_links.get(parent__email="lee@example.test")
    assert not lee_link.parental_responsibility
    assert (lee_link.preferred_channel, lee_link.preferred_language) == ("text", "Polish")
    kim = User.objects.get(email="kim@example.test")
    assert (kim.full_name, kim.is_active) == ("Kim Adams", False)
    assert set(Child.objects.of_parent(kim).values_list("first_name", flat=True)) == {
        "Ava",
        "Noah",
    }
    # Kim has two children in the file but gets one email; so does Lee.
    assert sorted(message.to for message in mail.outbox) == [
        ["kim@example.test"],
        ["lee@example.test"],
    ]
    assert sorted(OutboxMessage.objects.values_list("to_email", "kind", "status")) == [
        ("kim@example.test", "invitation", "sent"),
        ("lee@example.test", "invitation", "sent"),
    ]


def test_parent_who_already_uses_the_portal_is_linked_without_an_email(
    school, django_capture_on_commit_callbacks
):
    kim = UserFactory(email="kim@example.test", full_name="Kim Adams")

    with django_capture_on_commit_callbacks(execute=True):
        result = children_import(school=school, csv_file=GOOD_FILE)

    assert set(Child.objects.of_parent(kim).values_list("mis_id", flat=True)) == {
        "A1001",
        "A1002",
    }
    assert result.invitations_sent == 1
    assert [message.to for message in mail.outbox] == [["lee@example.test"]]


def test_without_invitations_parents_are_linked_but_nobody_is_emailed(
    school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = children_import(school=school, csv_file=GOOD_FILE, send_invitations=False)

    assert (result.parents_linked, result.invitations_sent) == (3, 0)
    assert FamilyLink.objects.count() == 3
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_importing_the_same_file_again_changes_nothing(school):
    children_import(school=school, csv_file=GOOD_FILE, send_invitations=False)
    before = db_counts()

    result = children_import(school=school, csv_file=GOOD_FILE, send_invitations=False)

    assert db_counts() == before
    assert (result.children_created, result.children_updated, result.parents_linked) == (0, 0, 0)


def test_reimporting_does_not_invite_a_parent_with_a_live_invitation_again(
    school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = children_import(school=school, csv_file=GOOD_FILE)
        again = children_import(school=school, csv_file=GOOD_FILE)
    assert (first.invitations_sent, again.invitations_sent) == (2, 0)
    assert len(mail.outbox) == 2

    Invitation.objects.update(expires_at=timezone.now())  # both links have now expired
    with django_capture_on_commit_callbacks(execute=True):
        later = children_import(school=school, csv_file=GOOD_FILE)
    assert later.invitations_sent == 2
    assert len(mail.outbox) == 4


def test_reimport_updates_a_child_in_place(school):
    children_import(school=school, csv_file=GOOD_FILE, send_invitations=False)
    ava_id = Child.objects.get(mis_id="A1001").pk
    moved = GOOD_FILE.replace(",4A,", ",4B,")

    result = children_import(school=school, csv_file=moved, send_invitations=False)

    assert (result.children_created, result.children_updated) == (0, 1)
    assert Child.objects.get(mis_id="A1001").class_name == "4B"
    assert Child.objects.get(mis_id="A1001").pk == ava_id
    assert Child.objects.count() == 3


def test_a_file_without_the_attendance_column_leaves_attendance_alone(school):
    ChildFactory(school=school, mis_id="B2002", attendance="remote")
    rows = "mis_id,first_name,last_name,date_of_birth,year_group,class_name,send_status,"
    rows += "primary_need\nB2002,Leo,Brown,2019-01-17,R,RB,E,hi\n"

    children_import(school=school, csv_file=rows)

    leo = Child.objects.get(mis_id="B2002")
    assert (leo.attendance, leo.send_status, leo.primary_need) == ("remote", "ehc_plan", "HI")


def test_the_same_mis_id_at_another_school_is_another_child(school, other_school):
    ChildFactory(school=other_school, mis_id="A1001", first_name="Zoe")

    children_import(school=school, csv_file=GOOD_FILE, send_invitations=False)

    assert Child.objects.get(school=other_school, mis_id="A1001").first_name == "Zoe"
    assert Child.objects.get(school=school, mis_id="A1001").first_name == "Ava"


def test_bad_file_reports_every_error_by_row_and_column_and_writes_nothing(school):
    FamilyLinkFactory(child=ChildFactory(school=school))
    bad = HEADER + (
        "A1001,Ava,Adams,04/05/2016,Year 4,4A,EHC plan,ASD,,kim@example.test,Kim,Mother,,,\n"
        "A1002,Noah,Adams,31/02/2013,Y7,7B,K,SLCN,,kim@example.test,Kim,Mother,,,\n"
        "B2002,Leo,Brown,2019-01-17,R,RB,K,SEMH,,,,,,,\n"
        "C3003,Mia,Cole,2018-03-03,1,1C,K,XYZ,,,,,,,\n"
    )
    before = db_counts()

    with pytest.raises(ImportFailed) as failure:
        children_import(school=school, csv_file=bad)

    assert failure.value.errors == [
        "Row 3, date_of_birth: Enter a valid date.",
        "Row 5, primary_need: “XYZ” is not one of: "
        "SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA.",
    ]
    assert db_counts() == before


def test_row_numbers_match_the_spreadsheet_when_there_are_blank_lines(school):
    bad = HEADER + "\n" + "B2002,Leo,Brown,2019-01-17,Year 14,RB,K,SEMH,,,,,,,\n"

    with pytest.raises(ImportFailed) as failure:
        children_import(school=school, csv_file=bad)

    assert failure.value.errors[0].startswith("Row 3, year_group: “Year 14” is not one of:")


def test_rows_for_one_child_must_agree(school):
    bad = HEADER + (
        "A1001,Ava,Adams,04/05/2016,Year 4,4A,EHC plan,ASD,,kim@example.test,Kim,Mother,,,\n"
        "A1001,Ava,Adams,04/05/2016,Year 4,4B,EHC plan,ASD,,lee@example.test,Lee,Father,,,\n"
    )

    with pytest.raises(ImportFailed) as failure:
        children_import(school=school, csv_file=bad)

    assert failure.value.errors == [
        "Row 3, class_name: not the same as on row 2 for this mis_id. "
        "A child's details must agree on every row."
    ]
    assert not Child.objects.exists()


def test_a_parent_needs_an_email_and_a_relationship(school):
    bad = HEADER + (
        "A1001,Ava,Adams,04/05/2016,4,4A,E,ASD,,kim@example.test,Kim,,,,\n"
        "A1002,Noah,Adams,2013-09-01,7,7B,K,SLCN,,,Kim Adams,Mother,,,\n"
        "A1003,Eve,Adams,2014-09-01,6,6B,K,SLCN,,not-an-email,Kim Adams,Aunt,,,\n"
    )

    with pytest.raises(ImportFailed) as failure:
        children_import(school=school, csv_file=bad)

    assert failure.value.errors == [
        "Row 2, relationship: This field is required.",
        "Row 3, parent_email: Enter the parent's email address, or leave all the parent "
        "columns empty.",
        "Row 4, parent_email: Enter a valid email address.",
        "Row 4, relationship: “Aunt” is not one of: "
        "Mother, Father, Carer, Foster carer, Grandparent, Other.",
    ]


def test_missing_columns_are_named_in_one_message(school):
    with pytest.raises(ImportFailed) as failure:
        children_import(school=school, csv_file="mis_id,first_name,last_name\nA1,Ava,Adams\n")

    assert failure.value.errors == [
        "Missing columns: date_of_birth, year_group, class_name, send_status, primary_need."
    ]


def test_column_names_ignore_case_and_spaces(school):
    header = " MIS_ID , First Name,LAST_NAME,Date of birth,Year_Group,Class_Name,SEND_status,"
    header += "Primary_Need\n"

    result = children_import(school=school, csv_file=header + "A1,Ava,Adams,2016-05-04,4,,K,MLD\n")

    assert result.children_created == 1
    assert Child.objects.get(mis_id="A1").primary_need == "MLD"


def test_excel_csv_utf8_with_byte_order_mark_is_accepted(school):
    data = ("\ufeff" + GOOD_FILE.replace("Ava", "Zoë")).encode("utf-8")

    result = children_import(school=school, csv_file=io.BytesIO(data), send_invitations=False)

    assert result.children_created == 3
    assert Child.objects.get(mis_id="A1001").first_name == "Zoë"


def test_a_file_that_is_not_utf8_is_refused(school):
    data = GOOD_FILE.replace("Ava", "Zoë").encode("cp1252")

    with pytest.raises(ImportFailed) as failure:
        children_import(school=school, csv_file=data)

    assert "not in UTF-8" in failure.value.errors[0]
    assert not Child.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty."),
        ("\n\n", "The file is empty."),
        (HEADER, "The file has a header row but no children."),
        (HEADER + ",,,,,\n", "The file has a header row but no children."),
    ],
)
def test_an_empty_file_is_refused(school, content, message):
    with pytest.raises(ImportFailed) as failure:
        children_import(school=school, csv_file=content)

    assert failure.value.errors == [message]


def test_more_than_5000_rows_is_refused(school):
    rows = "".join(f"M{n},Ava,Adams,2016-05-04,4,4A,K,ASD,,,,,,,\n" for n in range(5001))

    with pytest.raises(ImportFailed) as failure:
        children_import(school=school, csv_file=HEADER + rows)

    assert failure.value.errors == [
        "The file has more than 5,000 rows. Split it into smaller files."
    ]
    assert not Child.objects.exists()


# The management command


@pytest.fixture
def csv_path(tmp_path):
    def write(text: str):
        path = tmp_path / "export.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_command_imports_and_prints_the_counts(
    school, csv_path, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_children", csv_path(GOOD_FILE), school="riverside", stdout=out)

    assert "3 children added, 0 updated, 3 parent links added, 2 invitations sent" in (
        out.getvalue()
    )
    assert Child.objects.filter(school=school).count() == 3
    assert len(mail.outbox) == 2


def test_command_can_link_parents_without_inviting_them(
    school, csv_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_children",
            csv_path(GOOD_FILE),
            "--no-invitations",
            school="riverside",
            stdout=io.StringIO(),
        )

    assert FamilyLink.objects.count() == 3
    assert mail.outbox == []


def test_command_prints_every_error_and_fails(school, csv_path):
    bad = (
        HEADER
        + "A1,Ava,Adams,2016-13-01,4,4A,K,ASD,,,,,,,\nA2,Ben,Bo,2016-01-01,4,4A,K,??,,,,,,,\n"
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_children", csv_path(bad), school="riverside", stderr=err)

    assert "Row 2, date_of_birth: Enter a valid date." in err.getvalue()
    assert "Row 3, primary_need:" in err.getvalue()
    assert not Child.objects.exists()


def test_command_refuses_an_unknown_school(db, csv_path):
    with pytest.raises(CommandError, match="No school"):
        call_command("import_children", csv_path(GOOD_FILE), school="nowhere")


# The page


def upload(text: str | bytes, name: str = "export.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


URL = "/schools/riverside/import/"


def test_sendco_imports_a_file_and_sees_the_counts(
    client, school, sendco, login_with_password, django_capture_on_commit_callbacks
):
    login_with_password(client, sendco)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"file": upload(GOOD_FILE), "send_invitations": "on"}, follow=True
        )

    assert response.redirect_chain == [(URL, 302)]
    assert (
        "Children added: 3. Children updated: 0. Parent links added: 3. Invitations sent: 2."
        in response.content.decode()
    )
    assert Child.objects.filter(school=school).count() == 3
    assert len(mail.outbox) == 2
    invitation = Invitation.objects.get(user__email="kim@example.test")
    assert (invitation.school, invitation.invited_by) == (school, sendco)


def test_administrator_can_import_without_emailing_parents(
    client, school, administrator, login_with_password, django_capture_on_commit_callbacks
):
    login_with_password(client, administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": upload(GOOD_FILE)})  # box left unticked

    assert response.status_code == 302
    assert FamilyLink.objects.count() == 3
    assert mail.outbox == []


def test_the_page_explains_the_file_and_offers_invitations_by_default(
    client, sendco, login_with_password
):
    login_with_password(client, sendco)

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<input type="checkbox" name="send_invitations"[^>]*\bchecked', page)
    assert '<th scope="col">primary_need</th>' in page


def test_staff_home_links_to_the_import_page(client, sendco, login_with_password):
    login_with_password(client, sendco)

    response = client.get("/staff/")

    assert 'href="/schools/riverside/import/"' in response.content.decode()


def test_a_bad_file_shows_every_row_error_and_imports_nothing(
    client, school, sendco, login_with_password
):
    login_with_password(client, sendco)
    bad = HEADER + (
        "A1001,Ava,Adams,04/05/2016,Year 4,4A,EHC plan,ASD,,kim@example.test,Kim,Mother,,,\n"
        "A1002,Noah,Adams,31/02/2013,Y7,7B,K,SLCN,,kim@example.test,Kim,Mother,,,\n"
        "B2002,Leo,Brown,2019-01-17,R,RB,K,SEMH,,,,,,,\n"
        "C3003,Mia,Cole,2018-03-03,1,1C,K,XYZ,,,,,,,\n"
    )
    before = db_counts()

    response = client.post(URL, {"file": upload(bad), "send_invitations": "on"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file was not imported. Nothing has changed." in page
    assert "Row 3, date_of_birth: Enter a valid date." in page
    assert "Row 5, primary_need: “XYZ” is not one of:" in page
    assert db_counts() == before


def test_a_file_that_is_not_csv_or_too_large_is_refused_by_the_form(
    client, sendco, login_with_password
):
    login_with_password(client, sendco)

    wrong_type = client.post(URL, {"file": upload(GOOD_FILE, name="export.xlsx")})
    too_large = client.post(URL, {"file": upload(GOOD_FILE + "x" * (2 * 1024 * 1024))})

    assert "Choose a .csv file." in wrong_type.content.decode()
    assert "The file is larger than 2 MB." in too_large.content.decode()
    assert not Child.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "parent", "other_sendco", "governor"])
def test_nobody_else_can_reach_the_page(
    client, school, other_school, teacher, parent, governor, login_with_password, who
):
    people = {
        "teacher": teacher,
        "parent": parent,
        "governor": governor,
        "other_sendco": staff_member(other_school, "sendco", "sendco@hillside.test"),
    }
    login_with_password(client, people[who])
    before = db_counts()

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"file": upload(GOOD_FILE)}).status_code == 404
    assert db_counts() == before


def test_signed_out_visitor_is_sent_to_sign_in(client, school):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
