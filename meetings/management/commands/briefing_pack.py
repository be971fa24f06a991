from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from cities.roles import UserRoles, roles_of
from meetings.briefing import briefing_filename, briefing_pdf
from meetings.models import Meeting
from meetings.selectors import briefing_pack


class Command(BaseCommand):
    help = ("Write a meeting's briefing pack (progress since the previous meeting) as PDF, or HTML with --html. "
            "As the Secretariat sees it, or as --as USERNAME may see it.")

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("--out", help="File to write (default: a name from the meeting's title and date).")
        parser.add_argument("--html", action="store_true", help="Write the HTML page instead of the PDF.")
        parser.add_argument("--as", dest="username", help="Show only what this person may see.")

    def handle(self, *args, meeting_id, out, html, username, **options):
        meeting = Meeting.objects.select_related("host_city").filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"No meeting {meeting_id}.")
        roles = UserRoles(is_secretariat=True)
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No person called {username}.")
            roles = roles_of(user)
        context = briefing_pack(meeting=meeting, roles=roles)
        out = out or briefing_filename(meeting, "html" if html else "pdf")
        if html:
            with open(out, "w", encoding="utf-8") as f:
                f.write(render_to_string("meetings/briefing_standalone.html", context))
        else:
            with open(out, "wb") as f:
                f.write(briefing_pdf(context))
        self.stdout.write(self.style.SUCCESS(f"Briefing pack written to {out}."))
