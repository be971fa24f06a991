"""Choosing a language: the header's switcher, the choice kept on a signed-in person's account, and their
stored language on every page they open (as in the emails they get)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from testing.catalogues import translated

SWITCHER = reverse("set_language")


def csrf_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_it_offers_every_language_named_in_itself():
    page = Client().get(reverse("login")).content.decode()
    form = re.search(f'<form method="post" action="{SWITCHER}" class="language-switcher">.*?</form>', page,
                     re.DOTALL)
    assert form, "the header has no language switcher"
    form = form.group(0)
    assert '<label for="language-switcher">' in form and '<select id="language-switcher" name="language">' in form
    for code, name in [("en", "English"), ("de", "Deutsch"), ("fi", "Suomi"), ("sv", "Svenska"),
                       ("nb", "Norsk (bokmål)"), ("da", "Dansk"), ("et", "Eesti"), ("lv", "Latviešu"),
                       ("lt", "Lietuviškai"), ("pl", "Polski"), ("ru", "Русский")]:
        assert f'<option value="{code}" lang="{code}"' in form and f">{name}</option>" in form, code
    assert len(re.findall("<option ", form)) == len(settings.LANGUAGES)
    assert 'selected>English</option>' in form
    assert '<button type="submit"' in form  # works without JavaScript


@pytest.mark.django_db
def test_it_shows_an_anonymous_visitor_the_language_they_chose():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SWITCHER, {"language": "lv", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="lv">' in page
    assert translated("lv", "Skip to content") in page
    assert 'selected>Latviešu</option>' in page


@pytest.mark.django_db
def test_it_keeps_a_signed_in_persons_choice_on_their_account(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    token = csrf_token(client, reverse("password_change"))
    response = client.post(SWITCHER, {"language": "ru", "next": reverse("password_change"),
                                      "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "ru"
    assert alice.history.first().language == "ru"

    # On another device, with no cookie: the account's language.
    elsewhere = Client()
    elsewhere.force_login(alice)
    page = elsewhere.get(reverse("password_change")).content.decode()
    assert '<html lang="ru">' in page and translated("ru", "Log out", html=True) in page
    assert elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


@pytest.mark.django_db
def test_a_forged_form_does_not_change_an_account(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.post(SWITCHER, {"language": "de", "next": reverse("password_change")})
    alice.refresh_from_db()
    assert alice.language == "en"
    # The account wins over the cookie the forged form left.
    page = client.get(reverse("password_change")).content.decode()
    assert '<html lang="en">' in page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_it_refuses_a_language_the_portal_does_not_offer(alice):
    client = Client()
    client.force_login(alice)
    response = client.post(SWITCHER, {"language": "xx", "next": reverse("password_change")})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "en"
    assert client.get(SWITCHER).status_code == 405


@pytest.mark.django_db
def test_a_signed_in_person_sees_their_stored_language_whatever_their_browser_says(alice):
    alice.language = "de"
    alice.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    page = client.get(reverse("password_change")).content.decode()
    assert '<html lang="de">' in page
    assert translated("de", "Change password") in page
    assert 'selected>Deutsch</option>' in page


@pytest.mark.django_db
def test_a_public_page_in_a_chosen_language_is_kept_by_the_browser_alone(plan):
    client = Client()
    shared = client.get(reverse("public:home"))
    assert "public" in shared["Cache-Control"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    chosen = client.get(reverse("public:home"))
    assert '<html lang="de">' in chosen.content.decode()
    assert translated("de", "Log in (network staff)") in chosen.content.decode()
    assert "public" not in chosen["Cache-Control"]
    assert "Cookie" not in chosen.get("Vary", "")
    # The public page's switcher carries no token: it would make the shared page somebody's own.
    assert "csrfmiddlewaretoken" not in shared.content.decode()


@pytest.mark.django_db
def test_a_language_chosen_on_the_login_page_is_kept_on_signing_in(alice):
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client, reverse("login"))  # the login page's session
    client.get(reverse("login"))
    assert alice.language != "de"
    client.post(SWITCHER, {"language": "de", "next": reverse("login"), "csrfmiddlewaretoken": token})
    token = csrf_token(client, reverse("login"))
    response = client.post(reverse("login"), {"username": alice.username, "password": "password",
                                              "csrfmiddlewaretoken": token}, follow=True)
    assert '<html lang="de">' in response.content.decode()
    alice.refresh_from_db()
    assert alice.language == "de" and alice.history.first().language == "de"
