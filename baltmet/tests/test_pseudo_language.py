"""Nothing a person reads is left unmarked for translation: every page of the URL × role table, the PDFs, the
Secretariat's CSV export and every kind of email, rendered in a pseudo-language (testing/pseudo.py), shows no English word that is neither a marked
string nor the portal's own data (plan texts, city names, what people wrote)."""

import csv
import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from baltmet.tests import test_url_permissions as table
from baltmet.tests.test_url_permissions import EXPECTED, ROLES, build_url, url_names
from testing import pseudo
from testing.emails import send_every_kind
from testing.twofactor import pass_second_factor

world = table.world  # the URL table's objects, one of each kind

# Words that are the same in every language, kept as they are on purpose. Keep this short.
ALLOWED = {
    # Currencies by their ISO 4217 codes, written after amounts (500.00 EUR) and offered so in every language.
    "EUR", "SEK", "NOK", "DKK", "PLN", "RUB", "LVL", "LTL",
    # The open data's licence by its own name (CC BY 4.0) and file formats by theirs (CSV, JSON).
    "CC", "BY", "CSV", "JSON",
}
# Not the portal's own HTML: Swagger UI's page (drf-spectacular's template).
NOT_OURS = {"api:docs"}


@pytest.fixture
def pseudo_language(settings, tmp_path, monkeypatch):
    from accounts.models import Invitation, User

    pseudo.install(settings, tmp_path)
    for model in (User, Invitation):  # the people's language fields accept it too
        field = model._meta.get_field("language")
        monkeypatch.setattr(field, "choices", [*field.choices, (pseudo.CODE, pseudo.pseudo("Pseudo-language"))])
    return pseudo.CODE


def readers(statuses):
    """The roles that see a page: the first one allowed, and the delegate's and the Secretariat's views."""
    allowed = [role for role, status in zip(ROLES, statuses, strict=True) if status == 200]
    return sorted({allowed[0], *(role for role in ("own_delegate", "secretariat") if role in allowed)}) if allowed else []


def report(found):
    return "\n".join(f"{where}: {text[:160]!r}" for where, text in found[:60]) + (
        f"\n… and {len(found) - 60} more" if len(found) > 60 else "")


@pytest.fixture
def pdf_sources(monkeypatch):
    """The HTML each PDF is drawn from (xhtml2pdf's input), as the PDFs are made."""
    from xhtml2pdf import pisa

    drawn, create = [], pisa.CreatePDF

    def recording(html, *args, **kwargs):
        drawn.append(html)
        return create(html, *args, **kwargs)

    monkeypatch.setattr(pisa, "CreatePDF", recording)
    return drawn


@pytest.mark.timeout(1200)
def test_every_page_shows_only_marked_strings_and_the_portals_data(world, pseudo_language, pdf_sources):
    kwargs, people, tokens = world
    for person in people.values():
        if person is not None:
            person.language = pseudo_language
            person.save(update_fields=["language"])
    data = pseudo.data_of_the_portal()
    found, pages, csv_files, pdfs = [], 0, 0, 0
    for name in sorted(set(url_names()) & set(EXPECTED) - NOT_OURS):
        url = build_url(name, kwargs, tokens)
        for role in readers(EXPECTED[name][0]):
            client, person = Client(), people[role]
            # The cookie a signed-in person's first page sets (accounts/middleware.py), which public pages read.
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = pseudo_language
            if person is not None:
                client.force_login(person)
                pass_second_factor(client, person)
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/csv") and not (
                    name.startswith("public:")):  # the open data keeps fixed column names and codes, by design
                cells = [cell for row in csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig")))
                         for cell in row]
                found += [(f"{name} as {role}", left) for cell in cells
                          if (left := pseudo.unmarked(cell, data, ALLOWED))]
                csv_files += 1
            if response.status_code == 200 and pdf_sources:  # a PDF the portal drew (not an uploaded file)
                html = pdf_sources.pop()
                assert f'<html lang="{pseudo_language}">' in html, f"{name} as {role}: the PDF's language"
                found += [(f"{name} as {role} (PDF)", left) for piece in pseudo.html_text(html)
                          if (left := pseudo.unmarked(piece, data, ALLOWED))]
                pdfs += 1
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            pages += 1
            page = response.content.decode()
            assert f'<html lang="{pseudo_language}">' in page, f"{name} as {role} is not in the pseudo-language"
            for piece in pseudo.html_text(page):
                if left := pseudo.unmarked(piece, data, ALLOWED):
                    found.append((f"{name} as {role}", left))
    assert pages > 100 and csv_files >= 1 and pdfs >= 2, (pages, csv_files, pdfs)
    unique = list(dict.fromkeys(found))
    assert not unique, f"{len(unique)} pieces of text are not marked for translation:\n{report(unique)}"


def test_every_email_shows_only_marked_strings_and_the_portals_data(plan, assigned, periods, cities, alice, bob,
                                                                    mayor, secretariat, pseudo_language):
    sent = send_every_kind(plan=plan, assigned=assigned, periods=periods, cities=cities, alice=alice, bob=bob,
                           mayor=mayor, secretariat=secretariat, language=pseudo_language)
    data = pseudo.data_of_the_portal()
    found = []
    for kind, messages in sent.items():
        for message in messages:
            where = f"{kind} to {message.to}"
            pieces = [("subject", message.subject)] + [("text", line) for line in message.body_text.splitlines()]
            pieces += [("html", piece) for piece in pseudo.html_text(message.body_html)]
            for part, piece in pieces:
                if left := pseudo.unmarked(piece, data, ALLOWED):
                    found.append((f"{where} ({part})", left))
            assert f'lang="{pseudo_language}"' in message.body_html, f"{where}: <html lang>"
    unique = list(dict.fromkeys(found))
    assert not unique, f"{len(unique)} pieces of text are not marked for translation:\n{report(unique)}"


def test_the_pseudo_language_finds_an_unmarked_word():
    data = ["Riga mapped its start-ups."]
    assert pseudo.unmarked(pseudo.pseudo("Submitted by %(name)s") % {"name": "Riga"}, data, ALLOWED) == ""
    assert pseudo.unmarked("Riga mapped its start-ups.", data, ALLOWED) == ""
    assert pseudo.unmarked("Riga mapped its…", data, ALLOWED) == ""
    assert pseudo.unmarked(pseudo.pseudo("Due") + " Tomorrow", data, ALLOWED) != ""
    assert pseudo.pseudo("<a href=\"%(url)s\">Open</a> {count}") == "⟦<a href=\"%(url)s\">Öṗéñ</a> {count}⟧"


def test_the_plans_own_texts_stay_in_the_language_they_were_adopted_in(plan, assigned, alice, client_for,
                                                                       pseudo_language):
    """Focus areas and action points are shown as adopted, around an interface in the reader's language."""
    from actions.models import FocusArea

    alice.language = pseudo_language
    alice.save()
    page = client_for(alice).get(reverse("actions:plan", args=[plan.pk])).content.decode()
    text = " ".join(" ".join(piece.split()) for piece in pseudo.html_text(page))
    assert pseudo.OPEN in text  # the interface is in the pseudo-language
    for area in FocusArea.objects.filter(plan=plan):
        assert " ".join(area.title.split()) in text, area.title
        assert pseudo.pseudo(area.title) not in text
    shown = [point for point in assigned.values() if " ".join(point.text.split())[:60] in text]
    assert len(shown) == len(assigned), [point.number for point in assigned.values() if point not in shown]
