"""Two people changing the same milestone at the same instant, on PostgreSQL: one change goes through
with one history row, the other person is told (409) and nothing of theirs overwrites the winner."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import milestones
from actions.models import Milestone
from testing.races import logged_in, post, race

ROUNDS = 10

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _milestone(point, user, city, round_):
    return milestones.milestone_add(point=point, title=f"Step {round_}", due_date=timezone.localdate(),
                                    responsible_city=city, user=user)


def _edit(milestone, title, city):
    return {"title": title, "due_date": (timezone.localdate() + timedelta(days=9)).isoformat(),
            "responsible_city": city.pk, "version": milestone.version}


def test_two_edits_of_one_milestone_at_once_make_one_winner(postgres, assigned, cities, alice, secretariat):
    point = assigned["1.3"]
    for round_ in range(ROUNDS):
        milestone = _milestone(point, alice, cities["tallinn"], round_)
        url = reverse("actions:milestone_edit", args=[milestone.pk])

        one, two = race(post(logged_in(alice), url, _edit(milestone, "Alice's title", cities["riga"])),
                        post(logged_in(secretariat), url, _edit(milestone, "Sara's title", cities["tallinn"])))

        assert sorted([one.status_code, two.status_code]) == [302, 409], round_
        winner, loser = (one, two) if one.status_code == 302 else (two, one)
        milestone.refresh_from_db()
        assert milestone.title == ("Alice's title" if winner is one else "Sara's title")
        assert milestone.version == 2 and milestone.history.count() == 2
        assert "This milestone changed since you opened it" in loser.content.decode()


def test_marking_done_while_somebody_edits_makes_one_winner(postgres, assigned, cities, alice, bob):
    """The responsible partner marks it done as the coordinator renames it: one of the two, never both."""
    point = assigned["1.3"]
    today = timezone.localdate()
    for round_ in range(ROUNDS):
        milestone = _milestone(point, alice, cities["tallinn"], round_)
        edit = post(logged_in(alice), reverse("actions:milestone_edit", args=[milestone.pk]),
                    _edit(milestone, "Renamed", cities["tallinn"]))
        mark = post(logged_in(bob), reverse("actions:milestone_mark", args=[milestone.pk]),
                    {"done": "yes", "done_on": today.isoformat(), "version": milestone.version})

        edited, marked = race(edit, mark)

        assert sorted([edited.status_code, marked.status_code]) == [302, 409], round_
        milestone.refresh_from_db()
        assert milestone.history.count() == 2 and milestone.version == 2
        if edited.status_code == 302:
            assert milestone.title == "Renamed" and not milestone.done
        else:
            assert milestone.title == f"Step {round_}" and milestone.done and milestone.done_on == today


def test_removing_while_somebody_marks_done_makes_one_winner(postgres, assigned, cities, alice, bob):
    point = assigned["1.3"]
    today = timezone.localdate()
    for round_ in range(ROUNDS):
        milestone = _milestone(point, alice, cities["tallinn"], round_)
        removed, marked = race(
            post(logged_in(alice), reverse("actions:milestone_remove", args=[milestone.pk]), {"version": 1}),
            post(logged_in(bob), reverse("actions:milestone_mark", args=[milestone.pk]),
                 {"done": "yes", "done_on": today.isoformat(), "version": 1}),
        )

        # The loser is told (409), or, arriving after the removal, finds no milestone (404).
        statuses = sorted([removed.status_code, marked.status_code])
        assert statuses in ([302, 409], [302, 404]), round_
        rows = Milestone.history.filter(id=milestone.pk).count()
        assert rows == 2, round_
        assert Milestone.objects.filter(pk=milestone.pk).exists() == (marked.status_code == 302)
