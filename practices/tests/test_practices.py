import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import OutboxMessage
from practices import selectors, services
from practices.models import ContactRequest, Practice
from testing.queries import assert_constant_queries, count_queries
from testing.races import logged_in, post, race


def _practice(user, city, title="Bicycle lanes in winter", description="Snow cleared first on cycle lanes.", **extra):
    return services.practice_create(user=user, city=city, data={"title": title, "description": description, **extra})


def test_a_delegate_adds_a_practice_of_their_city(assigned, alice, cities, client_for):
    point = assigned["1.3"]
    response = client_for(alice).post(reverse("practices:create"), {
        "title": "Rīga start-up map", "city": cities["riga"].pk, "description": "A map of every incubator.",
        "results": "40 start-ups found a desk.", "action_points": [point.pk], "focus_areas": [point.focus_area_id],
        "contact": alice.pk, "languages": ["en", "lv"], "attach_url": "https://riga.example/map"})
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert practice.city == cities["riga"] and practice.languages == ["en", "lv"]
    assert list(practice.action_points.all()) == [point] and practice.attachments.get().url == "https://riga.example/map"
    page = client_for(alice).get(practice.get_absolute_url()).content.decode()
    assert "Latvian" in page and "Not published" in page and "style=" not in page


def test_a_city_edits_only_its_own_practices_and_the_secretariat_moderates(cities, alice, bob, secretariat,
                                                                           client_for):
    practice = _practice(alice, cities["riga"])
    assert client_for(bob).get(reverse("practices:edit", args=[practice.pk])).status_code == 403
    assert client_for(bob).post(reverse("practices:publish", args=[practice.pk])).status_code == 403
    assert client_for(secretariat).get(reverse("practices:edit", args=[practice.pk])).status_code == 200

    client_for(secretariat).post(reverse("practices:publish", args=[practice.pk]), {"publish": "1"})
    assert list(selectors.published_practices()) == [practice]
    client_for(secretariat).post(reverse("practices:publish", args=[practice.pk]), {"publish": "0"})
    assert list(selectors.published_practices()) == []
    assert [r.history_change_reason for r in practice.history.order_by("history_id")][-2:] == [
        "Published", "Withdrawn from the public pages"]


def test_ask_this_city_records_the_question_and_emails_the_contact_person(cities, alice, bob, client_for):
    alice.email = "alice@riga.example"
    alice.save()
    practice = _practice(alice, cities["riga"], contact=alice)

    response = client_for(bob).post(reverse("practices:contact", args=[practice.pk]),
                                    {"message": "How do you clear the lanes?"})

    assert response.status_code == 302
    record = ContactRequest.objects.get()
    assert (record.asked_by, record.asking_city, record.practice) == (bob, cities["tallinn"], practice)
    message = OutboxMessage.objects.get(kind="practice_contact")
    assert message.to == "alice@riga.example" and "How do you clear the lanes?" in message.body_text
    assert bob.email in message.body_text
    # Riga's own people do not ask Riga.
    assert client_for(alice).post(reverse("practices:contact", args=[practice.pk]),
                                  {"message": "x"}).status_code == 403


def test_search_by_text_city_and_point(assigned, cities, alice, bob, secretariat, mayor, client_for):
    point = assigned["1.3"]
    winter = _practice(alice, cities["riga"])
    services.practice_update(practice=winter, version=winter.version, user=alice, data={}, action_points=[point])
    _practice(bob, cities["tallinn"], title="Harbour ferries", description="Ferries run every hour to Helsinki.")
    _practice(bob, cities["tallinn"], title="Ferry tickets", description="Cycling commuters ride free with a bicycle.")
    client = client_for(mayor)

    def titles(**params):
        return [p.title for p in client.get(reverse("practices:list"), params).context["page"]]

    assert titles(q="ferries") == ["Harbour ferries"] if connection.vendor == "sqlite" else \
        titles(q="ferries")[0] == "Harbour ferries"
    assert set(titles(q="bicycle")) == {"Bicycle lanes in winter", "Ferry tickets"}
    if connection.vendor == "postgresql":
        assert titles(q="bicycle")[0] == "Bicycle lanes in winter"  # the title's words rank first
    assert titles(city=cities["tallinn"].pk, q="bicycle") == ["Ferry tickets"]
    assert titles(point=point.pk) == ["Bicycle lanes in winter"]
    assert client.get(reverse("practices:list"), {"city": "x"}).status_code == 200


def test_the_search_uses_the_full_text_index_on_postgresql(postgres, cities, alice):
    _practice(alice, cities["riga"])
    with CaptureQueriesContext(connection) as queries:
        list(selectors.practice_search(text="winter lanes"))
    assert "search_vector" in queries[0]["sql"] and "plainto_tsquery" not in queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'practice_search_gin'")
        assert "gin (search_vector)" in cursor.fetchone()[0]
    practice = Practice.objects.get()
    services.practice_update(practice=practice, version=practice.version, user=alice,
                             data={"title": "Snow ploughs"})
    assert [p.title for p in selectors.practice_search(text="ploughs")] == ["Snow ploughs"]


def test_the_search_page_runs_the_same_queries_whatever_the_number_of_practices(cities, alice, mayor, client_for):
    client = client_for(mayor)
    url = reverse("practices:list") + "?q=winter"
    _practice(alice, cities["riga"])
    small = count_queries(lambda: client.get(url))
    for n in range(30):
        _practice(alice, cities["riga"], title=f"Winter practice {n}")
    assert_constant_queries(small, count_queries(lambda: client.get(url)))


def test_a_search_matching_very_many_ranks_the_newest_and_says_so(postgres, monkeypatch, cities, alice, mayor,
                                                                  client_for):
    monkeypatch.setattr(selectors, "SEARCH_RANKED", 3)
    for n in range(4):
        _practice(alice, cities["riga"], title=f"Harbour {n}", description="Ferries run every hour.")
    best = _practice(alice, cities["riga"], title="Harbour ferries", description="Ferries and ferries.")
    client = client_for(mayor)

    page = client.get(reverse("practices:list"), {"q": "ferries"})
    text = page.content.decode()
    assert "More than 3 practices match: the 3 most recently updated are listed, best matches first." in text
    assert [p.title for p in page.context["page"]] == ["Harbour ferries", "Harbour 3", "Harbour 2"]
    # Narrowed to at most that many, the page counts them as before.
    page = client.get(reverse("practices:list"), {"q": "ferries harbour 1"})
    assert "More than" not in page.content.decode() and "1 practice" in page.content.decode()
    assert best.title not in page.content.decode()


def test_a_practice_has_its_history(cities, alice, client_for):
    practice = _practice(alice, cities["riga"])
    services.practice_update(practice=practice, version=practice.version, user=alice, data={"title": "Renamed"})
    page = client_for(alice).get(reverse("practices:history", args=[practice.pk])).content.decode()
    assert "Renamed" in page and "Bicycle lanes in winter" in page


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_practice_at_once_one_wins(postgres, cities):
    from cities.models import Role
    from cities.services import membership_grant
    from cities.tests.factories import UserFactory

    riga = cities["riga"] if "riga" in cities else None
    for round_number in range(5):
        first, second = UserFactory(), UserFactory()
        for user in (first, second):
            membership_grant(user=user, role=Role.DELEGATE, city=riga)
        practice = _practice(first, riga, title=f"Round {round_number}")
        url = reverse("practices:edit", args=[practice.pk])
        data = {"city": riga.pk, "description": "d", "version": practice.version}
        answers = race(post(logged_in(first), url, {**data, "title": "First"}),
                       post(logged_in(second), url, {**data, "title": "Second"}))
        assert sorted(a.status_code for a in answers) == [302, 409]
        practice.refresh_from_db()
        assert practice.version == 2 and practice.history.count() == 2


def test_the_questions_asked_are_on_record_for_the_city_the_secretariat_and_the_asker(cities, alice, bob, mayor,
                                                                                      chair, secretariat, client_for):
    practice = _practice(alice, cities["riga"], contact=alice)
    services.contact_request_send(practice=practice, user=bob, message="How do you clear the lanes?")
    record = ContactRequest.objects.get()
    assert record.history.get().history_user == bob and alice.email in record.recipients

    for reader in (alice, mayor, secretariat, bob):  # Riga's people, the Secretariat, the asker
        page = client_for(reader).get(practice.get_absolute_url()).content.decode()
        assert "Questions asked" in page and "How do you clear the lanes?" in page and "(Tallinn)" in page
    # The chair asked nothing and reads nobody else's question.
    page = client_for(chair).get(practice.get_absolute_url()).content.decode()
    assert "How do you clear the lanes?" not in page


def test_a_question_nobody_could_receive_is_not_sent_and_the_asker_is_told(cities, alice, bob, client_for):
    alice.email = ""
    alice.save()
    practice = _practice(alice, cities["riga"], contact=alice)

    response = client_for(bob).post(reverse("practices:contact", args=[practice.pk]), {"message": "Hello?"})

    assert response.status_code == 200 and "can be reached by email" in response.content.decode()
    assert ContactRequest.objects.count() == 0 and not OutboxMessage.objects.filter(kind="practice_contact").exists()
    assert "Hello?" in response.content.decode()  # the question is still in the form


def test_a_practice_s_files_follow_the_evidence_upload_rules_and_its_history_tells_them(cities, alice, bob,
                                                                                       client_for, settings,
                                                                                       tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    practice = _practice(alice, cities["riga"])
    client = client_for(alice)
    data = {"title": practice.title, "city": cities["riga"].pk, "description": practice.description,
            "version": practice.version}
    refused = client.post(reverse("practices:edit", args=[practice.pk]),
                          {**data, "attach_file": SimpleUploadedFile("map.png", b"MZ\x90\x00 an executable")})
    assert refused.status_code == 200 and "is not a PDF, DOCX, XLSX, PNG or JPEG" in refused.content.decode()
    assert practice.attachments.count() == 0

    client.post(reverse("practices:edit", args=[practice.pk]),
                {**data, "attach_file": SimpleUploadedFile("Rīgas karte.pdf", b"%PDF-1.4 map")})
    attachment = practice.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.filename.startswith("Rīgas")
    download = client_for(bob).get(reverse("practices:attachment", args=[practice.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 map" and "attachment" in download["Content-Disposition"]
    client.post(reverse("practices:attachment_remove", args=[practice.pk, attachment.pk]))

    history = client.get(reverse("practices:history", args=[practice.pk])).content.decode()
    assert "added a link or file" in history and "removed a link or file" in history and "Rīgas" in history


def test_search_by_focus_area(assigned, cities, alice, mayor, client_for):
    point = assigned["1.3"]
    served = services.practice_create(user=alice, city=cities["riga"], focus_areas=[point.focus_area],
                                      data={"title": "Innovation vouchers", "description": "Vouchers."})
    _practice(alice, cities["riga"])
    page = client_for(mayor).get(reverse("practices:list"), {"focus_area": point.focus_area_id})
    assert [p.title for p in page.context["page"]] == [served.title]


def test_a_published_practice_is_on_the_public_pages_and_leaves_them_when_withdrawn(assigned, cities, alice,
                                                                                   secretariat):
    from django.test import Client

    point = assigned["1.3"]
    practice = services.practice_create(
        user=alice, city=cities["riga"], action_points=[point], focus_areas=[point.focus_area],
        data={"title": "Rīga start-up map", "description": "A map of every incubator.", "results": "40 desks.",
              "languages": ["lv", "ru"], "contact": alice})
    hidden = _practice(alice, cities["riga"], title="Internal draft")
    public = Client()
    detail = reverse("public:practice", args=[practice.pk])
    assert public.get(detail).status_code == 404
    assert "Rīga start-up map" not in public.get(reverse("public:practices")).content.decode()

    services.practice_publish(practice=practice, user=secretariat)

    listing = public.get(reverse("public:practices")).content.decode()
    assert "Rīga start-up map" in listing and hidden.title not in listing
    page = public.get(detail).content.decode()
    assert "A map of every incubator." in page and "40 desks." in page and "Latvian, Russian" in page
    assert reverse("public:action_point", args=[point.pk]) in page
    assert alice.email not in page and alice.username not in page  # the contact person stays internal
    assert detail in public.get(reverse("public:action_point", args=[point.pk])).content.decode()
    assert public.get(reverse("public:practice", args=[hidden.pk])).status_code == 404

    before = public.get(detail)
    services.practice_publish(practice=practice, user=secretariat, publish=False)
    assert public.get(detail, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 404


def test_a_city_s_change_to_a_published_practice_goes_back_to_the_secretariat(cities, alice, secretariat,
                                                                             client_for):
    practice = _practice(alice, cities["riga"])
    services.practice_publish(practice=practice, user=secretariat)
    practice.refresh_from_db()
    url = reverse("practices:edit", args=[practice.pk])
    assert "Saving a change takes it off them" in client_for(alice).get(url).content.decode()

    response = client_for(alice).post(url, {"title": "Bicycle lanes all year", "city": cities["riga"].pk,
                                            "description": practice.description, "version": practice.version},
                                      follow=True)

    assert "off the public pages until the Secretariat publishes it again" in response.content.decode()
    practice.refresh_from_db()
    assert practice.title == "Bicycle lanes all year" and not practice.is_published
    assert list(selectors.published_practices()) == []
    assert practice.history.first().history_change_reason.startswith("Changed by its city")
    # The Secretariat's own corrections keep it published.
    services.practice_publish(practice=practice, user=secretariat)
    practice.refresh_from_db()
    services.practice_update(practice=practice, version=practice.version, user=secretariat, data={"title": "Lanes"})
    assert list(selectors.published_practices()) == [practice]
