"""A parent says thank you for praise in one tap (P9), with or without JavaScript; once per
praise, only for their own child."""

import re
from html import unescape

import pytest
from django.test import Client

from partnership.praise.models import PraiseThanks
from partnership.praise.services.thanks import ThanksRefused, praise_thank
from tests.factories import ChildFactory, FamilyLinkFactory, UserFactory
from tests.factories_praise import PraiseFactory


@pytest.fixture
def praise(child):
    return PraiseFactory(child=child, given_by=UserFactory(full_name="Maya Patel"))


def thank_url(praise) -> str:
    return f"/praise/{praise.pk}/thank/"


def test_one_tap_says_thank_you_and_comes_back_to_the_page(client, parent, praise):
    client.force_login(parent)
    response = client.post(thank_url(praise), {"next": "/parent/"})
    assert response.status_code == 302
    assert response["Location"] == f"/parent/#praise-{praise.pk}"
    thanks = PraiseThanks.objects.get(praise=praise, parent=parent)
    assert thanks.message == ""
    html = unescape(client.get("/parent/").content.decode())
    assert "Thank you sent. Maya Patel will see it." in html
    assert "You said thank you" in html and "Say thank you" not in html


def test_a_message_goes_with_the_thank_you(client, parent, praise):
    client.force_login(parent)
    client.post(thank_url(praise), {"message": "  She told us all about it!  "})
    assert PraiseThanks.objects.get(praise=praise).message == "She told us all about it!"
    html = unescape(client.get("/praise/").content.decode())
    assert "You said thank you: “She told us all about it!”" in html


def test_saying_it_twice_keeps_one_thank_you_and_a_later_message_replaces_the_words(
    client, parent, praise
):
    client.force_login(parent)
    client.post(thank_url(praise), {"message": "Thank you"})
    client.post(thank_url(praise), {"message": ""})  # a double tap keeps the words
    assert PraiseThanks.objects.get(praise=praise, parent=parent).message == "Thank you"
    client.post(thank_url(praise), {"message": "Thank you so much"})
    assert PraiseThanks.objects.filter(praise=praise).count() == 1
    assert PraiseThanks.objects.get(praise=praise).message == "Thank you so much"


def test_each_parent_in_a_separated_family_thanks_on_their_own(client, child, parent, praise):
    other = FamilyLinkFactory(child=child).parent
    for person, words in ((parent, "From mum"), (other, "From dad")):
        client.force_login(person)
        client.post(thank_url(praise), {"message": words})
    assert sorted(PraiseThanks.objects.values_list("message", flat=True)) == [
        "From dad",
        "From mum",
    ]


def test_a_message_over_200_characters_is_refused_kindly_and_nothing_saved(client, parent, praise):
    client.force_login(parent)
    response = client.post(thank_url(praise), {"message": "x" * 201, "next": "/praise/"})
    assert response.status_code == 302
    assert not PraiseThanks.objects.exists()
    html = client.get("/praise/").content.decode()
    assert "Please keep your message to 200 characters or fewer." in html


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/praise/", ""])
def test_an_unsafe_or_missing_next_goes_back_to_the_praise_feed(client, parent, praise, unsafe):
    client.force_login(parent)
    response = client.post(thank_url(praise), {"next": unsafe})
    assert response["Location"] == f"/praise/#praise-{praise.pk}"


def test_with_htmx_the_button_becomes_you_said_thank_you_in_place(client, parent, praise):
    client.force_login(parent)
    response = client.post(
        thank_url(praise), {"message": "Lovely", "next": "/parent/"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert html.lstrip().startswith("<div") and "<html" not in html
    assert f'id="praise-thanks-{praise.pk}"' in html
    assert "You said thank you: “Lovely”" in html and "Say thank you" not in html
    assert 'name="next" value="/parent/"' in html
    # No leftover "sent" banner waits for the next page: the swap already said so.
    assert "Thank you sent" not in client.get("/parent/").content.decode()


def test_with_htmx_a_too_long_message_shows_the_error_and_keeps_the_button(client, parent, praise):
    client.force_login(parent)
    response = client.post(thank_url(praise), {"message": "x" * 201}, HTTP_HX_REQUEST="true")
    html = unescape(response.content.decode())
    assert "Please keep your message to 200 characters or fewer." in html
    assert "Say thank you" in html
    assert not PraiseThanks.objects.exists()


def test_another_familys_praise_cannot_be_thanked(client, school, parent):
    elsewhere = PraiseFactory(child=ChildFactory(school=school))
    client.force_login(parent)
    assert client.post(thank_url(elsewhere)).status_code == 404
    assert client.post("/praise/999999/thank/").status_code == 404
    assert not PraiseThanks.objects.exists()


def test_staff_do_not_thank_in_the_familys_place(client, sendco, praise):
    client.force_login(sendco)
    assert client.post(thank_url(praise)).status_code == 404
    assert not PraiseThanks.objects.exists()


def test_thanking_is_post_only_and_needs_a_signed_in_parent(client, parent, praise):
    response = client.post(thank_url(praise))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(parent)
    assert client.get(thank_url(praise)).status_code == 405
    assert not PraiseThanks.objects.exists()


def test_thanking_needs_the_csrf_token_from_the_page(parent, praise):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(parent)
    assert browser.post(thank_url(praise)).status_code == 403
    page = browser.get("/parent/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(thank_url(praise), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert PraiseThanks.objects.filter(praise=praise, parent=parent).exists()


def test_the_service_refuses_anyone_but_the_childs_family(praise, sendco):
    with pytest.raises(ThanksRefused):
        praise_thank(praise=praise, parent=sendco)
    with pytest.raises(ThanksRefused):
        praise_thank(praise=praise, parent=UserFactory())
    assert not PraiseThanks.objects.exists()
