"""Forms of the roadmap pages. They parse and give early, clear errors; the services
check everything again (the API shares them)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.bank import DIMENSION_KEYS

from . import services
from .models import Milestone, MilestoneStatus, UseCase
from .portfolio import DEFAULT_UNITS, PERCENT_MAX, PERCENT_MIN

PERCENT_ERRORS = {"invalid": gettext_lazy("Enter a number, for example 12.5.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoadmapCreateForm(forms.Form):
    assessment = forms.ModelChoiceField(
        queryset=None,
        empty_label=None,
        label=gettext_lazy("Start from assessment"),
        help_text=gettext_lazy("Its results place the organization on the roadmap."),
    )
    start_date = forms.DateField(widget=DateInput(), label=gettext_lazy("Start date"))

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = list(services.MILESTONE_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "depends_on": forms.CheckboxSelectMultiple(),
            "completed_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "title": gettext_lazy("Title"),
            "phase": gettext_lazy("Phase"),
            "owner_user": gettext_lazy("Owner (member)"),
            "start_date": gettext_lazy("Start date"),
            "due_date": gettext_lazy("Due date"),
            "depends_on": gettext_lazy("Depends on"),
            "status": gettext_lazy("Status"),
            "notes": gettext_lazy("Notes"),
            "completed_on": gettext_lazy("Completion date"),
        }
        help_texts = {
            "completed_on": gettext_lazy(
                "Set to today when the status becomes Done; cleared otherwise."
            ),
        }

    def __init__(self, *args, phase_names: dict[int, str], members=None, milestones=None, **kwargs):
        super().__init__(*args, **kwargs)
        depends_on = self.fields["depends_on"]
        others = milestones if milestones is not None else depends_on.queryset.none()
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        depends_on.queryset = others
        depends_on.label_from_instance = lambda m: (
            _("Phase %(phase)s: %(title)s")
            % {
                "phase": m.phase,
                "title": m.title,
            }
        )
        owner_user = self.fields["owner_user"]
        owner_user.queryset = members if members is not None else owner_user.queryset.none()
        owner_user.label_from_instance = lambda user: (
            f"{user.get_full_name() or user.get_username()} ({user.email})"
            if user.email
            else user.get_full_name() or user.get_username()
        )
        owner_user.empty_label = _("— nobody with an account —")
        self.fields["owner"].label = _("Owner (without an account)")
        self.fields["phase"] = forms.TypedChoiceField(
            choices=[
                (n, _("Phase %(phase)s — %(name)s") % {"phase": n, "name": name})
                for n, name in phase_names.items()
            ],
            coerce=int,
            label=_("Phase"),
        )
        self.fields["notes"].max_length = services.MAX_NOTES_LENGTH
        self.fields["notes"].widget.attrs["maxlength"] = services.MAX_NOTES_LENGTH


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(choices=MilestoneStatus.choices)


class UseCaseForm(forms.ModelForm):
    class Meta:
        model = UseCase
        fields = list(services.USE_CASE_FIELDS)
        error_messages = dict.fromkeys(services.PERCENT_FIELDS, PERCENT_ERRORS)
        labels = {
            "name": gettext_lazy("Name"),
            "business_unit": gettext_lazy("Business unit"),
            "stage": gettext_lazy("Stage"),
            "owner": gettext_lazy("Owner"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for metric, unit in DEFAULT_UNITS.items():
            self.fields[f"{metric}_unit"].widget.attrs["placeholder"] = unit
        for name in services.VALUE_FIELDS:
            self.fields[name].widget.attrs.update({"step": "any"})
            self.fields[name].error_messages["invalid"] = _("Enter a number, e.g. 1200.")
        for name in services.PERCENT_FIELDS:
            field = self.fields[name]
            # The range itself is checked by the model's validators (roadmap.portfolio).
            field.widget.attrs.update({"step": "any", "min": PERCENT_MIN, "max": PERCENT_MAX})
            field.error_messages.update(PERCENT_ERRORS)

    def value_rows(self):
        """Per metric: (label, unit, baseline value, actual value), the values in units the
        actual percentage is computed from."""
        labels = {
            "cost_reduction": _("Cost (lower is better)"),
            "revenue_increase": _("Revenue (higher is better)"),
            "efficiency_gain": _("Hours or error rate (lower is better)"),
        }
        return [
            (labels[m], *(self[f"{m}_{k}"] for k in ("unit", "baseline_value", "actual_value")))
            for m in services.METRICS
        ]

    def main_fields(self):
        return [self[name] for name in ("name", "business_unit", "stage", "owner")]

    def metric_rows(self):
        """The nine percentage fields as (metric label, baseline, target, actual) rows."""
        labels = {
            "cost_reduction": _("Cost reduction %"),
            "revenue_increase": _("Revenue increase %"),
            "efficiency_gain": _("Efficiency gain %"),
        }
        return [
            (labels[m], *(self[f"{m}_{k}"] for k in ("baseline", "target", "actual")))
            for m in services.METRICS
        ]


class TargetForm(forms.Form):
    """A target score for one dimension, of the organization or one of its units."""

    unit = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("For"),
        empty_label=gettext_lazy("The whole organization"),
    )
    dimension = forms.ChoiceField(label=gettext_lazy("Dimension"))
    score = forms.FloatField(
        label=gettext_lazy("Target score (0–100)"),
        error_messages={"invalid": gettext_lazy("Enter a number, e.g. 60.")},
    )
    due_date = forms.DateField(widget=DateInput(), label=gettext_lazy("By"))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.business_units.order_by("name")
        self.fields["dimension"].choices = [
            (k, k.replace("_", " ").capitalize()) for k in DIMENSION_KEYS
        ]
        self.fields["score"].widget.attrs.update({"min": 0, "max": 100, "step": "any"})

    def name_dimensions(self, titles: dict[str, str]) -> "TargetForm":
        """Show the dimensions by their titles (as the results name them, in the reader's
        language) instead of their keys."""
        self.fields["dimension"].choices = [(k, titles.get(k, k)) for k in DIMENSION_KEYS]
        return self
