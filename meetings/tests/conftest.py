from datetime import date

import pytest

from meetings import services
from meetings.models import Meeting


@pytest.fixture
def meetings(secretariat, cities, plan):
    """The Copenhagen meeting of 2002, and the Mayors' Meeting in Riga on 1 December 2011 after it."""
    earlier = services.meeting_create(user=secretariat, data={
        "kind": Meeting.Kind.MAYORS, "title": "Mayors' Meeting in Copenhagen", "date": date(2011, 3, 1),
        "host_city": cities["copenhagen"]})
    later = services.meeting_create(user=secretariat, data={
        "kind": Meeting.Kind.MAYORS, "title": "Mayors' Meeting in Rīga", "date": date(2011, 12, 1),
        "host_city": cities["riga"], "minutes": "Opened by the Mayor of Rīga."},
        agenda=["Opening", "Progress of the plan"],
        attendance=[services.Presence(cities["riga"].pk, "present", "Nils Ušakovs")])
    resolution = services.resolution_create(user=secretariat, data={
        "meeting": earlier, "title": "Copenhagen Resolution", "text": "The cities agree to work together."},
        plans=[plan])
    return {"earlier": earlier, "later": later, "resolution": resolution}
