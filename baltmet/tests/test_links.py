from django.urls import reverse, set_script_prefix

from baltmet.links import link


def test_a_link_is_what_reverse_gives():
    for name, args in [("actions:action_point", (7,)), ("reports:report", (918273645,)), ("reports:open", (3, 12)),
                       ("reports:evidence", (1, 10))]:
        assert link(name, *args) == reverse(name, args=args)


def test_a_link_follows_the_script_prefix():
    try:
        set_script_prefix("/portal/")
        assert link("actions:action_point", 5) == "/portal/plans/action-points/5/" == reverse("actions:action_point", args=[5])
    finally:
        set_script_prefix("/")
