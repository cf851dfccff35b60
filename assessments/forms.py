from django import forms

from common.errors import InputError

from . import bulk
from .models import Assessment, ExecutiveRole, QuestionBank, Respondent
from .services import check_due_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _clean_due_date(form):
    due_date = form.cleaned_data.get("due_date")
    try:
        check_due_date(due_date)
    except InputError as exc:
        raise forms.ValidationError(exc.message) from exc
    return due_date


class AssessmentForm(forms.ModelForm):
    bank = forms.ModelChoiceField(
        queryset=QuestionBank.objects.all(),
        label="Question bank version",
        empty_label=None,
        to_field_name="version",
    )

    class Meta:
        model = Assessment
        fields = ["title", "bank", "due_date"]
        widgets = {"due_date": DateInput()}
        labels = {"due_date": "Due date (optional)"}

    clean_due_date = _clean_due_date


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        required=False,
        widget=DateInput(),
        label="Due date",
        help_text="Leave empty for none. Reminders go to respondents who have not submitted.",
    )

    clean_due_date = _clean_due_date


class RespondentForm(forms.ModelForm):
    class Meta:
        model = Respondent
        fields = ["name", "email", "role", "title", "business_unit"]
        labels = {"role": "Executive role", "title": "Job title"}

    def __init__(self, *args, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.assessment and self.assessment.respondents.filter(email=email).exists():
            raise forms.ValidationError("This person is already a respondent of this assessment.")
        return email


class BulkRespondentsForm(forms.Form):
    lines = forms.CharField(
        label="Respondents, one a line",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        max_length=bulk.MAX_TEXT_LENGTH,
        help_text=(
            "name, email, role, title, unit — title and unit are optional; the role is one "
            "of: " + ", ".join(ExecutiveRole.labels) + ". Tabs work too (paste from a "
            "spreadsheet)."
        ),
    )
