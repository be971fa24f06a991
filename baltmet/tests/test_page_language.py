"""Every page of the URL × role table says which language it is in (<html lang>) and is in the language of
the person who opens it: a German and a Latvian reader, signed in or not."""

import re

import pytest
from django.conf import settings
from django.test import Client

from baltmet.tests import test_url_permissions as table
from baltmet.tests.test_url_permissions import EXPECTED, ROLES, build_url, url_names

world = table.world  # the URL table's objects, one of each kind

# Pages that are not the portal's own HTML: Swagger UI's page (drf-spectacular's template) is in English only.
NOT_OURS = {"api:docs"}
NAMES_IN_THEMSELVES = {"de": "Deutsch", "lv": "Latviešu"}


def opened_pages(kwargs, people, tokens, language):
    """(url name, role, response) for every URL, opened by the first role that may see it, in `language`."""
    for name in sorted(set(url_names()) & set(EXPECTED)):
        statuses = EXPECTED[name][0]
        if 200 not in statuses or name in NOT_OURS:
            continue
        role = ROLES[statuses.index(200)]
        person = people[role]
        client = Client()
        if person is None:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        else:
            person.language = language
            person.save(update_fields=["language"])
            from testing.twofactor import pass_second_factor

            client.force_login(person)
            pass_second_factor(client, person)
        yield name, role, client.get(build_url(name, kwargs, tokens))


@pytest.mark.timeout(900)
@pytest.mark.parametrize("language", ["de", "lv"])
def test_every_page_is_in_the_readers_language(world, language):
    kwargs, people, tokens = world
    wrong, html_pages = [], 0
    for name, role, response in opened_pages(kwargs, people, tokens, language):
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html_pages += 1
        page = response.content.decode()
        declared = re.search(r"<html[^>]*\blang=\"([^\"]*)\"", page)
        if not declared or declared.group(1) != language:
            wrong.append(f"{name} as {role}: <html lang> is {declared.group(1) if declared else 'missing'}")
            continue
        # Pages drawn in the portal's frame show the switcher with the reader's language chosen.
        if 'class="language-switcher"' in page and f"selected>{NAMES_IN_THEMSELVES[language]}</option>" not in page:
            wrong.append(f"{name} as {role}: the switcher does not show {NAMES_IN_THEMSELVES[language]}")
        if response.get("Content-Language") != language:
            wrong.append(f"{name} as {role}: Content-Language {response.get('Content-Language')}")
    assert html_pages > 80, html_pages  # the walk reached the portal's pages
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", ["de", "lv"])
def test_refusals_and_missing_pages_are_in_the_readers_language(alice, language):
    alice.language = language
    alice.save()
    client = Client()
    client.force_login(alice)
    for url, status in [("/secretariat/", 403), ("/no-such-page/", 404)]:
        response = client.get(url)
        assert response.status_code == status
        assert f'<html lang="{language}">' in response.content.decode()
