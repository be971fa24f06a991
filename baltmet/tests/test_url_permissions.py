"""Every URL of the portal × every role gets the expected status.

The table below is the portal's access policy in one place. The URLs come from the URL
configuration itself, so a new URL without an entry here fails `test_every_url_has_an_entry`.

GET is tried on every URL. URLs that change state are also POSTed by the roles that must be
refused (the roles allowed to change state are covered by each feature's own tests).
Run with PRINT_PERMISSION_MATRIX=1 to print what the portal does now, to review a change.
"""

import os
from datetime import date
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "own_delegate", "other_delegate", "mayor", "observer", "chair", "secretariat", "no_role",
         "former_member"]
LOGIN = "login"  # shorthand: a redirect to the login page

# url name: ((GET status for each role in ROLES order), roles whose POST must be refused)
# no_role: an active account without any role; former_member: Riga's delegate whose role was removed.
EXPECTED = {
    # The API (api/, docs/api.md): the public part the same for everybody; the rest needs a role (401 without
    # a token or session, 403 without a role); report steps answer POST only, to the people the workflow names.
    "api:public-plan-list": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:public-plan-detail": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:public-action-point-list": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:public-action-point-detail": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:public-progress-list": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:public-indicator-list": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:public-indicator-detail": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:public-indicator-value-list": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:schema": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:docs": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:me": ((401, 200, 200, 200, 200, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:action-point-list": ((401, 200, 200, 200, 200, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:action-point-detail": ((401, 200, 200, 200, 200, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:period-list": ((401, 200, 200, 200, 200, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:report-list": ((401, 200, 200, 200, 200, 200, 200, 403, 403), ('anonymous', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:report-detail": ((401, 200, 404, 200, 200, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:report-submit": ((401, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "api:report-approve": ((401, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "api:report-return": ((401, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "api_tokens": ((LOGIN, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous',)),
    "api_token_revoke": ((LOGIN, 405, 405, 405, 405, 405, 405, 405, 405), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    # A person's own API tokens: any signed-in account; a token is revoked only by its owner.
    "actions:action_point": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "actions:action_point_history": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "actions:action_point_update": ((LOGIN, 200, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "actions:home": ((LOGIN, 302, 302, 302, 302, 302, 302, 403, 403), None),
    # Milestones of 1.3 (Riga coordinates, Tallinn partners; the milestone is Tallinn's): the coordinating city's
    # delegate and the Secretariat define them; the responsible city's delegate marks its own done.
    "actions:milestone_add": ((LOGIN, 200, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "actions:milestone_edit": ((LOGIN, 200, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "actions:milestone_mark": ((LOGIN, 200, 200, 403, 403, 403, 200, 403, 403), ('anonymous', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "actions:milestone_remove": ((LOGIN, 200, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "actions:plan": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "dashboard:approve": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:export_csv": ((LOGIN, 403, 403, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:export_xlsx": ((LOGIN, 403, 403, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:home": ((LOGIN, 403, 403, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:invitation_accept": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "dashboard:invite": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:membership_add": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:membership_change": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:membership_remove": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:people": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:period_add": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:period_close": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:period_edit": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:period_open": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:person": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:person_activate": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:person_deactivate": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:plan": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:plan_review_mode": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:plan_adopt": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:area_edit": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:plan_successor": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:plans": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:point_cities": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:progress_report": ((LOGIN, 403, 403, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:progress_report_pdf": ((LOGIN, 403, 403, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:period_publish": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:publish": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:queue": ((LOGIN, 403, 403, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:remind": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:reports": ((LOGIN, 403, 403, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:return": ((LOGIN, 403, 403, 403, 403, 403, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "dashboard:review": ((LOGIN, 403, 403, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "digests:deliveries": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), None),
    "digests:latest": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "digests:preferences": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "digests:preview": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), None),
    # user_id is Riga's delegate, whom a digest run does not reach: the page says so, there is no email to show.
    "digests:preview_html": ((LOGIN, 403, 403, 403, 403, 403, 404, 403, 403), None),
    "digests:preview_recipient": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), None),
    "digests:send_now": ((405, 405, 405, 405, 405, 405, 405, 405, 405), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "digests:unsubscribe": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "home": ((302, 302, 302, 302, 302, 302, 302, 302, 302), None),
    "indicators:benchmark": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "indicators:city": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "indicators:create": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "indicators:edit": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "indicators:list": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "indicators:target_city": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "indicators:target_network": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "indicators:targets": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "indicators:upload": ((LOGIN, 200, 200, 403, 403, 403, 200, 403, 403), ('anonymous', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "indicators:values": ((LOGIN, 200, 200, 403, 403, 403, 200, 403, 403), ('anonymous', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "initiatives:answer": ((LOGIN, 302, 302, 403, 403, 403, 403, 403, 403), ('anonymous', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "initiatives:detail": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "initiatives:edit": ((LOGIN, 200, 403, 403, 403, 403, 403, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "initiatives:list": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "initiatives:overview": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), None),
    "initiatives:propose": ((LOGIN, 200, 200, 403, 403, 403, 403, 403, 403), ('anonymous', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "initiatives:remind": ((LOGIN, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "initiatives:withdraw": ((LOGIN, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "meetings:briefing": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "meetings:briefing_pdf": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "meetings:create": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "meetings:detail": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "meetings:document": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "meetings:document_remove": ((LOGIN, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "meetings:edit": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "meetings:history": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "meetings:resolution": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "meetings:resolution_history": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "meetings:resolution_create": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "meetings:resolution_edit": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "meetings:timeline": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    # Probes, open to anyone and saying nothing but "ok"; /metrics answers only METRICS_TOKEN's bearer (unset: 404).
    "ops:healthz": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "ops:metrics": ((404, 404, 404, 404, 404, 404, 404, 404, 404), None),
    "ops:readyz": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "practices:attachment": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "practices:attachment_remove": ((LOGIN, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "practices:contact": ((LOGIN, 403, 200, 403, 403, 200, 200, 403, 403), ('anonymous', 'own_delegate', 'mayor', 'observer', 'no_role', 'former_member')),
    "practices:create": ((LOGIN, 200, 200, 403, 403, 403, 200, 403, 403), ('anonymous', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "practices:detail": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "practices:edit": ((LOGIN, 200, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "practices:history": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "practices:list": ((LOGIN, 200, 200, 200, 200, 200, 200, 403, 403), None),
    "practices:publish": ((LOGIN, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    # The public pages: the same page for everybody, GET and HEAD only.
    "public:action_point": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data_action_points_csv": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data_action_points_json": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data_indicator_values_csv": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data_indicator_values_json": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data_plans_csv": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data_plans_json": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data_progress_csv": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:data_progress_json": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:feed": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:home": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:indicator": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:indicators": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:practice": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:practices": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "public:plan": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "sitemap": ((200, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "login": ((200, 302, 302, 302, 302, 302, 302, 302, 302), None),
    # The second factor: everyone signed in manages their own; the Secretariat must keep theirs on
    # (no turning off) and resets other people's (twofactor/tests/).
    "twofactor:home": ((LOGIN, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "twofactor:verify": ((LOGIN, 302, 302, 302, 302, 302, 302, 302, 302), None),
    "twofactor:setup": ((LOGIN, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "twofactor:recovery_codes": ((LOGIN, 302, 302, 302, 302, 302, 200, 302, 302), None),
    "twofactor:disable": ((LOGIN, 302, 302, 302, 302, 302, 403, 302, 302), ('secretariat',)),
    "twofactor:person": ((LOGIN, 403, 403, 403, 403, 403, 200, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'no_role', 'former_member')),
    "logout": ((405, 405, 405, 405, 405, 405, 405, 405, 405), None),
    "password_change": ((LOGIN, 200, 200, 200, 200, 200, 200, 200, 200), ('anonymous',)),
    "password_change_done": ((LOGIN, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "password_reset": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "password_reset_complete": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "password_reset_confirm": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    "password_reset_done": ((200, 200, 200, 200, 200, 200, 200, 200, 200), None),
    # Two-step review: the coordinating city's delegate (own_delegate: Riga coordinates 1.3; other_delegate:
    # Tallinn coordinates 2.1). The report in the URL is Riga's own, so nobody may accept or return it.
    "reports:accept": ((LOGIN, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "reports:coordination": ((LOGIN, 200, 200, 403, 403, 403, 403, 403, 403), None),
    "reports:evidence": ((LOGIN, 200, 403, 200, 200, 200, 200, 403, 403), None),
    "reports:evidence_remove": ((LOGIN, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "reports:history": ((LOGIN, 200, 403, 200, 200, 200, 200, 403, 403), None),
    "reports:home": ((LOGIN, 302, 302, 302, 302, 302, 302, 200, 200), None),
    "reports:open": ((LOGIN, 302, 200, 403, 403, 403, 403, 403, 403), ('anonymous', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "reports:return_to_partner": ((LOGIN, 405, 405, 405, 405, 405, 405, 403, 403), ('anonymous', 'own_delegate', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "reports:report": ((LOGIN, 200, 403, 200, 200, 200, 200, 403, 403), ('anonymous', 'other_delegate', 'mayor', 'observer', 'chair', 'secretariat', 'no_role', 'former_member')),
    "reports:workspace": ((LOGIN, 200, 403, 200, 200, 200, 200, 403, 403), None),
}

SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language"}  # Django's own language switch, open to everyone by design


def url_names():
    names = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in SKIPPED_NAMES:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_an_entry():
    missing = sorted(set(url_names()) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(url_names()))
    assert missing == [], f"add these URLs to EXPECTED in {__file__}: {missing}"
    assert stale == [], f"these URLs no longer exist: {stale}"


@pytest.fixture
def world(assigned, periods, cities, alice, bob, mayor, observer, chair, secretariat, riga_report, settings, tmp_path):
    """One object of each kind, owned by Riga (alice's city), for building every URL."""
    settings.MEDIA_ROOT = tmp_path
    settings.API_THROTTLE_RATES = {"token": "100000/min", "anonymous": "100000/min"}  # every role asks every URL
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.services import invitation_send
    from cities.models import Role
    from cities.services import membership_grant, membership_remove
    from cities.tests.factories import UserFactory
    from digests.services import preferences_token
    from indicators.models import Indicator
    from initiatives.tests.factories import propose
    from reports import services as report_services

    evidence = report_services.evidence_add(report=riga_report, user=alice, content_type="application/pdf",
                                            upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"))
    initiative = propose(user=alice, plan=assigned["1.3"].focus_area.plan, point=assigned["1.3"],
                         costs={cities["riga"]: Decimal("100"), cities["tallinn"]: Decimal("50")})
    indicator = Indicator.objects.create(name="Start-ups", unit="per 100,000", first_year=2011, last_year=2012,
                                         is_public=True)
    meeting, resolution, document, practice, attachment = _meetings_and_practices(
        alice=alice, secretariat=secretariat, cities=cities, plan=assigned["1.3"].focus_area.plan)
    membership = alice.memberships.get()
    from actions.milestones import milestone_add

    milestone = milestone_add(point=assigned["1.3"], title="Start-up survey", due_date=date.today(),
                              responsible_city=cities["tallinn"], user=alice)
    from api.services import token_create

    api_token, _ = token_create(user=alice, name="Riga's reporting tool", second_factor_passed=True)
    _, invitation_token = invitation_send(email="new.delegate@example.org", role="delegate", city=cities["riga"],
                                          invited_by=secretariat)
    kwargs = {
        "report_id": riga_report.pk, "evidence_id": evidence.pk, "point_id": assigned["1.3"].pk,
        "period_id": periods["2011 H1"].pk, "plan_id": assigned["1.3"].focus_area.plan_id,
        "area_id": assigned["1.3"].focus_area_id,
        "city_slug": "riga", "slug": "riga", "user_id": alice.pk, "membership_id": membership.pk,
        "initiative_id": initiative.pk, "indicator_id": indicator.pk,
        "token": preferences_token(user=mayor),
        "meeting_id": meeting.pk, "resolution_id": resolution.pk, "document_id": document.pk,
        "practice_id": practice.pk, "attachment_id": attachment.pk, "token_id": api_token.pk,
        "milestone_id": milestone.pk,
    }
    tokens = {"dashboard:invitation_accept": invitation_token, "password_reset_confirm": "set-password"}
    no_role = UserFactory(username="nobody")  # an active account nobody gave a role
    former = UserFactory(username="former.riga.delegate")  # Riga's delegate until the Secretariat removed the role
    membership_remove(membership=membership_grant(user=former, role=Role.DELEGATE, city=cities["riga"]),
                      user=secretariat)
    people = {"anonymous": None, "own_delegate": alice, "other_delegate": bob, "mayor": mayor,
              "observer": observer, "chair": chair, "secretariat": secretariat, "no_role": no_role,
              "former_member": former}
    return kwargs, people, tokens


def _meetings_and_practices(*, alice, secretariat, cities, plan):
    """A meeting with a file and a resolution; a practice of Riga's (alice's) with a file, published."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings import services as meetings
    from practices import services as practices
    from reports.services import NewEvidence

    pdf = NewEvidence(upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"), content_type="application/pdf")
    meeting = meetings.meeting_create(user=secretariat, documents=[pdf], data={
        "kind": "mayors", "title": "Mayors' Meeting", "date": date(2011, 12, 1), "host_city": cities["riga"]})
    resolution = meetings.resolution_create(user=secretariat, data={"meeting": meeting, "title": "Resolution",
                                                                    "text": "Agreed."}, plans=[plan])
    pdf = NewEvidence(upload=SimpleUploadedFile("map.pdf", b"%PDF-1.4 map"), content_type="application/pdf")
    practice = practices.practice_create(user=alice, city=cities["riga"], attachments=[pdf],
                                         data={"title": "Start-up map", "description": "A map."})
    practices.practice_publish(practice=practice, user=secretariat)
    return meeting, resolution, meeting.documents.get(), practice, practice.attachments.get()


def build_url(name, kwargs, tokens):
    from django.urls import NoReverseMatch, get_resolver

    resolver = get_resolver()
    view_name = name.split(":")[-1]
    namespace = name.rsplit(":", 1)[0] if ":" in name else None
    possibilities = resolver.reverse_dict.getlist(view_name) if namespace is None else \
        resolver.namespace_dict[namespace][1].reverse_dict.getlist(view_name)
    params = possibilities[0][0][0][1] if possibilities else []
    values = {}
    for param in params:
        if name in tokens and param == "token":
            values[param] = tokens[name]
        elif param == "uidb64":
            values[param] = "MQ"
        else:
            values[param] = kwargs[param]
    try:
        return reverse(name, kwargs=values)
    except NoReverseMatch as error:
        raise AssertionError(f"cannot build {name}: {error}") from None


def observed(client, url, method):
    response = getattr(client, method)(url)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.timeout(1500)  # some 200 URLs × 9 roles; slow on a busy machine
def test_every_url_answers_every_role_as_expected(world, client_for):
    kwargs, people, tokens = world
    printing = os.environ.get("PRINT_PERMISSION_MATRIX") == "1"
    differences = []
    for name in sorted(set(url_names()) & set(EXPECTED) if not printing else url_names()):
        url = build_url(name, kwargs, tokens)
        expected_get, post_refused = EXPECTED.get(name, (None, None))
        got = tuple(observed(client_for(people[role]), url, "get") for role in ROLES)
        if printing:
            print(f'    "{name}": ({got!r}, {post_refused!r}),')
            continue
        if got != expected_get:
            differences.append(f"GET {name}: expected {expected_get}, got {got}")
        for role in post_refused or ():
            status = observed(client_for(people[role]), url, "post")
            if status not in (LOGIN, 401, 403, 404, 405, 410):
                differences.append(f"POST {name} as {role}: got {status}, expected a refusal")
    assert not differences, "\n".join(differences)
