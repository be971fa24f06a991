"""What the API shows and accepts. Reads only: every rule of who may see or do what is asked of
reports/permissions.py and reports/workflow.py by the views."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import ActionPlan, ActionPoint, DeliveryStatus, FocusArea, Milestone
from cities.models import City
from cities.roles import roles_of
from indicators.models import Indicator, IndicatorValue
from reports import workflow
from reports.models import ProgressReport, ReportingPeriod

MAX_ID = 2**63 - 1


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["slug", "name", "country"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "plan", "label", "start", "end", "due_date", "is_closed"]


class PublicPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "plan", "label", "start", "end"]


# The public part ------------------------------------------------------------------------------------------


class PlanSummarySerializer(serializers.ModelSerializer):
    focus_areas = serializers.IntegerField(source="area_count", read_only=True)
    action_points = serializers.IntegerField(source="point_count", read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["id", "title", "first_year", "last_year", "status", "predecessor", "focus_areas", "action_points"]


class PublicPointSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    plan = serializers.IntegerField(source="focus_area.plan_id", read_only=True)
    focus_area = serializers.IntegerField(source="focus_area.number", read_only=True)
    coordinating_city = CitySerializer(read_only=True, allow_null=True)
    partner_cities = CitySerializer(many=True, read_only=True)
    published_status = serializers.SerializerMethodField(
        help_text=_("The point's status by its published progress alone (null: nothing published yet)."))

    class Meta:
        model = ActionPoint
        fields = ["id", "number", "plan", "focus_area", "text", "coordinating_city", "partner_cities",
                  "published_status"]

    @extend_schema_field(serializers.ChoiceField(choices=DeliveryStatus.choices, allow_null=True))
    def get_published_status(self, point):
        statuses = self.context.get("statuses")
        overall = statuses[point.pk] if statuses is not None else getattr(point, "public_status", None)
        return overall.status if overall is not None else None


class PublicFocusAreaSerializer(serializers.ModelSerializer):
    action_points = PublicPointSerializer(many=True, read_only=True)

    class Meta:
        model = FocusArea
        fields = ["id", "number", "title", "description", "action_points"]


class PlanSerializer(PlanSummarySerializer):
    focus_areas = PublicFocusAreaSerializer(many=True, read_only=True)

    class Meta(PlanSummarySerializer.Meta):
        fields = ["id", "title", "first_year", "last_year", "status", "predecessor", "introduction", "focus_areas"]


class PublicProgressSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="period.plan_id", read_only=True)
    period = PublicPeriodSerializer(read_only=True)
    action_point_number = serializers.CharField(source="action_point.number", read_only=True)
    city = CitySerializer(read_only=True)
    approved_at = serializers.DateTimeField(source="reviewed_at", read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "plan", "period", "action_point", "action_point_number", "city", "delivery_status",
                  "summary", "next_steps", "approved_at", "published_at"]


class PublicIndicatorRef(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit"]


class PublicPointDetailSerializer(PublicPointSerializer):
    progress = PublicProgressSerializer(many=True, read_only=True)
    indicators = PublicIndicatorRef(many=True, read_only=True, source="public_indicators_list")

    class Meta(PublicPointSerializer.Meta):
        fields = PublicPointSerializer.Meta.fields + ["progress", "indicators"]


class PublicIndicatorSerializer(serializers.ModelSerializer):
    action_points = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "name", "description", "unit", "higher_is_better", "first_year", "last_year", "action_points"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    city = CitySerializer(read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "indicator_name", "city", "year", "value", "source"]


# The network's part (a token or a session) ---------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    is_secretariat = serializers.BooleanField()
    is_chair = serializers.BooleanField()
    delegate_of = serializers.CharField(allow_null=True, help_text=_("The slug of the city the person speaks for."))
    cities = serializers.ListField(child=serializers.CharField(), help_text=_("Slugs of the person's cities."))


class MilestoneSerializer(serializers.ModelSerializer):
    responsible_city = CitySerializer(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "responsible_city", "done", "done_on"]


class PointSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    plan = serializers.IntegerField(source="focus_area.plan_id", read_only=True)
    focus_area = serializers.IntegerField(source="focus_area.number", read_only=True)
    coordinating_city = CitySerializer(read_only=True, allow_null=True)
    partner_cities = CitySerializer(many=True, read_only=True)
    # Read only: milestones change on the action point's page. Completion is done of all, never a percentage.
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = ActionPoint
        fields = ["id", "number", "plan", "focus_area", "text", "coordinating_city", "partner_cities", "status",
                  "coordinator_summary", "milestones"]


class ReportSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="period.plan_id", read_only=True)
    action_point_number = serializers.CharField(source="action_point.number", read_only=True)
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    steps = serializers.SerializerMethodField(
        help_text=_("The workflow steps the caller may take on the report now: save, submit, approve, return."))

    class Meta:
        model = ProgressReport
        fields = ["id", "version", "plan", "period", "action_point", "action_point_number", "city", "state",
                  "delivery_status", "summary", "next_steps", "submitted_at", "reviewed_at", "review_comment",
                  "published_at", "created", "updated", "steps"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(
        choices=[step.name for step in workflow.CHOSEN_STEPS])))
    def get_steps(self, report):
        request = self.context.get("request")
        roles = roles_of(request.user) if request is not None else None
        if roles is None:
            return []
        # Of the two ways to hand a report in, only the one its plan's review mode uses.
        submit = workflow.submit_step(report, two_step=report.action_point.focus_area.plan.is_two_step)
        other = {workflow.SUBMIT, workflow.SUBMIT_TO_COORDINATOR} - {submit}
        return [step.name for step in workflow.CHOSEN_STEPS
                if step not in other and workflow.may_take(step, roles, report)]


class ReportContent(serializers.Serializer):
    delivery_status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    next_steps = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReportCreateSerializer(ReportContent):
    action_point = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    period = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    submit = serializers.BooleanField(default=False, help_text=_("Send it for review at once."))


class ReportUpdateSerializer(ReportContent):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text=_("The version you read; a newer saved version answers 409."))


class ApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, help_text=_("What needs to change (required)."))


class ErrorSerializer(serializers.Serializer):
    type = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.JSONField())


class ConflictSerializer(ErrorSerializer):
    current_version = serializers.IntegerField(required=False)
    current = ReportSerializer(required=False)

