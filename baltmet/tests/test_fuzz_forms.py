"""Arbitrary text, numbers, dates and files thrown at every form of the portal, by a person allowed
to use it: the answer is a page (with messages) or a redirect — never a 500 or a traceback.

The forms are found by reading each page's HTML, so a new form on these pages is fuzzed too.
Each example runs in a savepoint that is rolled back, so every example meets the same data.
"""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_url_permissions import build_url, world  # noqa: F401  (world is a fixture)

# (url name, who uses the form there)
FORM_PAGES = [
    ("reports:report", "own_delegate"),
    ("reports:open", "other_delegate"),
    ("actions:action_point_update", "own_delegate"),
    ("reports:rollup", "own_delegate"),
    ("password_change", "own_delegate"),
    ("dashboard:review", "secretariat"),
    ("dashboard:invite", "secretariat"),
    ("dashboard:period_add", "secretariat"),
    ("dashboard:period_edit", "secretariat"),
    ("dashboard:plan_successor", "secretariat"),
    ("dashboard:point_cities", "secretariat"),
    ("dashboard:person", "secretariat"),
    ("dashboard:invitation_accept", "anonymous"),
    ("digests:preferences", "anonymous"),
    ("indicators:create", "secretariat"),
    ("indicators:edit", "secretariat"),
    ("indicators:values", "own_delegate"),
    ("indicators:upload", "own_delegate"),
    ("indicators:target_city", "secretariat"),
    ("indicators:target_network", "secretariat"),
    ("initiatives:propose", "own_delegate"),
    ("initiatives:edit", "own_delegate"),
    ("initiatives:detail", "other_delegate"),
]
# GET forms (filters) whose parameters are fuzzed in the query string.
FILTER_PAGES = [
    ("dashboard:home", "secretariat"), ("dashboard:reports", "secretariat"), ("dashboard:queue", "secretariat"),
    ("dashboard:export_csv", "secretariat"), ("dashboard:people", "secretariat"), ("digests:preview", "secretariat"),
    ("digests:deliveries", "secretariat"),
    ("reports:workspace", "own_delegate"), ("indicators:benchmark", "own_delegate"), ("reports:rollup", "own_delegate"),
]

# The classes of input that once broke a page: Unicode digits (str.isdigit() says yes, int() no), NUL and
# other control characters, numbers beyond a column's precision, header characters, very long text.
HOSTILE = ["²", "٣", "１２", "1" * 40, "9999999999999999.99999", "1e400", "-0", "\x00", "a\x00b", "\x1b[0m",
           "x\r\nX-Injected: yes", '"quoted"; filename=evil', "ü" * 300]
VALUES = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.integers(-10**12, 10**12).map(str),
    st.integers(-10**30, 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "2011-02-30", "<script>alert(1)</script>", "=1+1", "\x00", "NaN",
                     "on_track", "approved", "riga", "https://example.org", "a" * 20000] + HOSTILE),
)
CSV_ROWS = st.sampled_from([b"Riga,2011,1,x", b"Riga,2011,1\x00,x", b"Riga,\xc2\xb2,1,x", b"Riga,2011,9999999999999999.99999,x",
                            b"Riga;2011;8,7;x", b"Riga,2011,1e400,x"])
FILES = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.one_of(st.sampled_from(["values.csv", "x.pdf", "x.png", "x.exe", "noextension", "ü.xlsx"]),
              st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\\"), min_size=150, max_size=400)
              .map(lambda stem: stem + ".pdf")),
    st.one_of(st.binary(max_size=300), CSV_ROWS.map(lambda row: b"city,year,value,source\n" + row + b"\n"),
              st.just(b"%PDF-1.4")),
)


class FormFinder(HTMLParser):
    def __init__(self, method):
        super().__init__()
        self.method, self.forms, self._current = method, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == self.method:
            self._current = {"action": attrs.get("action") or "", "fields": {}, "files": set()}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") == "file":
                self._current["files"].add(attrs["name"])
            elif attrs["name"] != "csrfmiddlewaretoken":
                self._current["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_on(client, url, method):
    response = client.get(url, follow=True)
    assert response.status_code < 500
    finder = FormFinder(method)
    if response.streaming:  # a download has no forms
        return [], response.request["PATH_INFO"]
    finder.feed(response.content.decode())
    return [form for form in finder.forms if form["fields"] or form["files"]], response.request["PATH_INFO"]


fuzz = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("name, role", FORM_PAGES)
def test_posting_anything_to_a_form_never_breaks_the_portal(name, role, world, client_for):  # noqa: F811
    kwargs, people, tokens = world
    if name == "dashboard:review":
        from reports import services
        from reports.models import ProgressReport

        report = ProgressReport.objects.get(pk=kwargs["report_id"])
        services.report_submit(report=report, version=report.version, user=people["own_delegate"])
    client = client_for(people[role])
    forms, path = forms_on(client, build_url(name, kwargs, tokens), "post")
    assert forms, f"no form found on {name}"

    @fuzz
    @given(data=st.data())
    def run(data):
        for form in forms:
            payload = {field: data.draw(st.one_of(st.just(default), VALUES)) for field, default in form["fields"].items()}
            for field in form["files"]:
                payload[field] = data.draw(st.one_of(st.none(), FILES)) or ""
            savepoint = transaction.savepoint()
            try:
                response = client.post(form["action"] or path, payload)
                assert response.status_code < 500, (name, payload)
            finally:
                transaction.savepoint_rollback(savepoint)

    run()


@pytest.mark.parametrize("name, role", FILTER_PAGES)
def test_any_filter_in_the_url_gives_a_page_not_an_error(name, role, world, client_for):  # noqa: F811
    kwargs, people, tokens = world
    client = client_for(people[role])
    url = build_url(name, kwargs, tokens)
    forms, _ = forms_on(client, url, "get")
    fields = sorted({field for form in forms for field in form["fields"]}) or ["page", "period", "plan", "city"]

    @fuzz
    @given(params=st.dictionaries(st.sampled_from(fields + ["page"]), VALUES, max_size=len(fields) + 1))
    def run(params):
        response = client.get(url, params)
        assert response.status_code in (200, 302, 400, 404), (name, params, response.status_code)
        if response.streaming:  # the file is written as it is sent: read it all
            b"".join(response.streaming_content)

    run()


# Names pages read from the query string, tried on every page (whether or not it has a form for them).
QUERY_NAMES = ["page", "plan", "period", "focus_area", "city", "state", "delivery_status", "year", "point", "next",
               "role", "q", "recipient", "status", "kind", "format"]


SLOW_PAGES = {"dashboard:progress_report_pdf"}  # a PDF takes half a second to draw


def _readers():
    """(url name, a role that may read it) for every URL of the permission table that a role opens with GET."""
    from .test_url_permissions import EXPECTED, ROLES

    for name, (statuses, _refused) in sorted(EXPECTED.items()):
        role = next((r for r, status in zip(ROLES, statuses, strict=True) if status == 200 and r != "anonymous"),
                    None) or ("anonymous" if statuses[0] == 200 else None)
        if role is not None:
            yield name, role


@pytest.mark.parametrize("name, role", list(_readers()))
def test_every_page_answers_any_query_string_without_an_error(name, role, world, client_for):  # noqa: F811
    kwargs, people, tokens = world
    client = client_for(people[role])
    url = build_url(name, kwargs, tokens)

    # Every hostile value in every name at once, and the ones that look like numbers in each name alone
    # (a 400 for one name must not hide a 500 for another); then random mixtures.
    sweep = [{query: value for query in QUERY_NAMES} for value in HOSTILE]
    sweep += [{query: value} for value in ("²", "1" * 40) for query in QUERY_NAMES]
    if name in SLOW_PAGES:  # reads its query as the HTML page beside it does, which gets the full sweep
        sweep = sweep[:4]
    for params in sweep:
        response = client.get(url, params)
        assert response.status_code < 500, (name, params, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)

    @settings(max_examples=1 if name in SLOW_PAGES else 8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(params=st.dictionaries(st.sampled_from(QUERY_NAMES), st.one_of(VALUES, st.sampled_from(HOSTILE)),
                                  min_size=1, max_size=4))
    def run(params):
        response = client.get(url, params)
        assert response.status_code < 500, (name, params, response.status_code)

    run()
