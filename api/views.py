"""The API (v1) and the page where a person makes and revokes their tokens.

Thin views: reads through transparency.selectors (the public part) and reports.permissions
(`visible_reports`, the same rule the pages use); changes through reports.services, which check the
workflow (reports/workflow.py) and the person's roles on the row they lock."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.models import ActionPoint, Milestone
from cities.models import City
from cities.roles import roles_of
from reports import permissions as report_permissions
from reports import services as report_services
from reports import workflow
from reports.models import ProgressReport, ReportingPeriod
from transparency import selectors as public
from transparency.caching import MAX_AGE

from . import filters, serializers
from . import services as token_services
from .forms import TokenForm
from .permissions import InNetwork
from .selectors import tokens_of
from .throttling import AnonymousRateThrottle

ID = r"[0-9]{1,18}"  # ids beyond the database's integers are simply not found


# The public part ------------------------------------------------------------------------------------------


class PublicMixin:
    """What the public pages show, to anybody: no sign-in, served as to an anonymous visitor
    (transparency.middleware) and cacheable by a proxy like the public pages."""

    serves_public = True
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response


@extend_schema(tags=["public"])
@extend_schema_view(list=extend_schema(summary=gettext_lazy("Public plans")),
                    retrieve=extend_schema(summary=gettext_lazy("A public plan with its focus areas and points")))
class PublicPlans(PublicMixin, viewsets.ReadOnlyModelViewSet):
    lookup_url_kwarg = "plan_id"
    lookup_value_regex = ID

    def get_queryset(self):
        return public.plan_summaries()

    def get_serializer_class(self):
        return serializers.PlanSerializer if self.action == "retrieve" else serializers.PlanSummarySerializer

    def retrieve(self, request, plan_id):
        return Response(serializers.PlanSerializer(public.plan_get(int(plan_id))).data)


@extend_schema(tags=["public"])
@extend_schema_view(list=extend_schema(summary=gettext_lazy("Action points of the public plans")),
                    retrieve=extend_schema(summary=gettext_lazy("An action point with its published progress")))
class PublicActionPoints(PublicMixin, viewsets.ReadOnlyModelViewSet):
    lookup_url_kwarg = "point_id"
    lookup_value_regex = ID
    filterset_class = filters.PointFilter

    def get_queryset(self):
        return public.public_points()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PublicPointDetailSerializer
        return serializers.PublicPointSerializer

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        statuses = public.public_statuses(page)
        return self.get_paginated_response(serializers.PublicPointSerializer(
            page, many=True, context={"statuses": statuses}).data)

    def retrieve(self, request, point_id):
        point = public.point_get(int(point_id))
        point.public_indicators_list = list(point.indicators.all())
        return Response(serializers.PublicPointDetailSerializer(point).data)


@extend_schema(tags=["public"], summary=gettext_lazy("Published progress, newest period first"))
class PublicProgress(PublicMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.PublicProgressSerializer
    filterset_class = filters.PublicProgressFilter

    def get_queryset(self):
        return public.published_progress()


@extend_schema(tags=["public"])
@extend_schema_view(list=extend_schema(summary=gettext_lazy("Indicators the Secretariat made public")),
                    retrieve=extend_schema(summary=gettext_lazy("A public indicator")))
class PublicIndicators(PublicMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PublicIndicatorSerializer
    lookup_url_kwarg = "indicator_id"
    lookup_value_regex = ID

    def get_queryset(self):
        return public.public_indicators()


@extend_schema(tags=["public"], summary=gettext_lazy("Values of the public indicators"))
class PublicIndicatorValues(PublicMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.IndicatorValueSerializer
    filterset_class = filters.IndicatorValueFilter

    def get_queryset(self):
        return public.public_indicator_values()


# The network's part -------------------------------------------------------------------------------------


class NetworkMixin:
    permission_classes = [InNetwork]

    @property
    def roles(self):
        return roles_of(self.request.user)


@extend_schema(tags=["network"], summary=gettext_lazy("Who the token (or session) speaks for"),
               responses=serializers.MeSerializer)
class Me(NetworkMixin, APIView):
    def get(self, request):
        roles, user = self.roles, request.user
        slugs = dict(City.objects.filter(pk__in=roles.city_ids).values_list("pk", "slug"))
        return Response(serializers.MeSerializer({
            "username": user.get_username(), "name": str(user), "is_secretariat": roles.is_secretariat,
            "is_chair": roles.is_chair, "delegate_of": slugs.get(roles.delegate_city_id),
            "cities": sorted(slugs.values()),
        }).data)


@extend_schema(tags=["network"])
@extend_schema_view(list=extend_schema(summary=gettext_lazy("Action points (?mine=true: your cities')")),
                    retrieve=extend_schema(summary=gettext_lazy("An action point")))
class ActionPoints(NetworkMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PointSerializer
    filterset_class = filters.NetworkPointFilter
    lookup_url_kwarg = "point_id"
    lookup_value_regex = ID

    def get_queryset(self):
        return (ActionPoint.objects.select_related("focus_area", "coordinating_city")
                .prefetch_related("partner_cities",
                                  Prefetch("milestones", queryset=Milestone.objects.select_related("responsible_city")))
                .in_order())


@extend_schema(tags=["network"], summary=gettext_lazy("Reporting periods"))
class Periods(NetworkMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.PeriodSerializer
    filterset_class = filters.PeriodFilter

    def get_queryset(self):
        return ReportingPeriod.objects.order_by("plan_id", "start")


ERRORS_WITH_CONFLICT = {409: OpenApiResponse(serializers.ConflictSerializer,
                                             description=gettext_lazy("A version conflict, or a step the "
                                                                      "report's state does not allow now."))}


@extend_schema(tags=["reports"])
@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Progress reports you may see, filtered by plan, period, city, state")),
    retrieve=extend_schema(summary=gettext_lazy("A progress report")),
    create=extend_schema(summary=gettext_lazy("Start your city's report (a draft, or submitted at once)"),
                         request=serializers.ReportCreateSerializer,
                         responses={201: serializers.ReportSerializer, **ERRORS_WITH_CONFLICT}),
    partial_update=extend_schema(summary=gettext_lazy("Save your city's report with the version you read"),
                                 request=serializers.ReportUpdateSerializer,
                                 responses={200: serializers.ReportSerializer, **ERRORS_WITH_CONFLICT}),
)
class Reports(NetworkMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.ReportSerializer
    filterset_class = filters.ReportFilter
    lookup_url_kwarg = "report_id"
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (ProgressReport.objects.filter(report_permissions.visible_reports(self.roles))
                .select_related("action_point__focus_area__plan", "city", "period")
                .order_by("-period__start", "action_point__focus_area__number", "action_point__sequence",
                          "city__name", "pk"))

    def _answer(self, report, code=status.HTTP_200_OK):
        return Response(serializers.ReportSerializer(report, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _acting(self, step):
        """The report, if the caller is the kind of person who takes this step on it (the workflow's
        rule); the service checks it again, with the state and version, on the row it locks."""
        report = self.get_object()
        if not workflow.is_actor(step, self.roles, report):
            raise PermissionDenied(_("You may not do this with this report."))
        return report

    def create(self, request):
        city = City.objects.filter(pk=self.roles.delegate_city_id).first()
        if city is None:
            raise PermissionDenied(_("Only a city's delegate writes its reports."))
        data = self._input(serializers.ReportCreateSerializer)
        point = (ActionPoint.objects.select_related("focus_area").prefetch_related("partner_cities")
                 .filter(pk=data["action_point"]).first())
        period = ReportingPeriod.objects.filter(pk=data["period"]).first()
        errors = {}
        if point is None:
            errors["action_point"] = [_("There is no such action point.")]
        if period is None:
            errors["period"] = [_("There is no such reporting period.")]
        if errors:
            raise ValidationError(errors)
        report = report_services.report_start(point=point, city=city, period=period, user=request.user,
                                              data=data, submit=data["submit"])
        return self._answer(self.get_queryset().get(pk=report.pk), status.HTTP_201_CREATED)

    def partial_update(self, request, report_id):
        report = self._acting(workflow.SAVE)
        data = self._input(serializers.ReportUpdateSerializer)
        version = data.pop("version")
        return self._answer(report_services.report_update(report=report, version=version, data=data,
                                                          user=request.user))

    @extend_schema(summary=gettext_lazy("Submit your city's report for review (with the version you read)"),
                   request=serializers.ReportUpdateSerializer,
                   responses={200: serializers.ReportSerializer, **ERRORS_WITH_CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, report_id):
        report = self._acting(workflow.SUBMIT)
        data = self._input(serializers.ReportUpdateSerializer)
        version = data.pop("version")
        return self._answer(report_services.report_submit(report=report, version=version, data=data,
                                                          user=request.user))

    @extend_schema(summary=gettext_lazy("Approve a submitted report (the Secretariat)"),
                   request=serializers.ApproveSerializer,
                   responses={200: serializers.ReportSerializer, **ERRORS_WITH_CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request, report_id):
        report = self._acting(workflow.APPROVE)
        data = self._input(serializers.ApproveSerializer)
        return self._answer(report_services.report_approve(report=report, reviewer=request.user,
                                                           comment=data.get("comment", "")))

    @extend_schema(summary=gettext_lazy("Return a submitted report with a comment (the Secretariat)"),
                   request=serializers.ReturnSerializer,
                   responses={200: serializers.ReportSerializer, **ERRORS_WITH_CONFLICT})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, report_id):
        report = self._acting(workflow.RETURN)
        data = self._input(serializers.ReturnSerializer)
        return self._answer(report_services.report_return(report=report, reviewer=request.user,
                                                          comment=data["comment"]))


# The person's tokens (a page) --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The person's API tokens: make one (its secret shown this once), see and revoke them.
    Behind the same second-factor gate as every page (twofactor.middleware)."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_services.token_create(user=request.user, name=form.cleaned_data["name"],
                                                        second_factor_passed=request.user.is_verified())
        except DjangoPermissionDenied as error:
            form.add_error(None, str(error))
        else:
            form = TokenForm()
            messages.success(request, _("Token “%(name)s” made. Copy its secret now: it is not shown again.")
                             % {"name": token.name})
    return render(request, "api/tokens.html", {"form": form, "secret": secret, "tokens": tokens_of(request.user)})


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(tokens_of(request.user), pk=token_id)
    if token_services.token_revoke(token=token, user=request.user):
        messages.success(request, _("Token “%(name)s” revoked: it no longer opens the API.") % {"name": token.name})
    return redirect("api_tokens")
