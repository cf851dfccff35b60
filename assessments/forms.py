from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

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


def _active_language() -> str:
    """The inviter's language, the respondent's by default."""
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return active if active in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


LANGUAGE_HELP = _("The language of their emails and questionnaire; they can change it.")


class AssessmentForm(forms.ModelForm):
    bank = forms.ModelChoiceField(
        queryset=QuestionBank.objects.all(),
        label=_("Question bank version"),
        empty_label=None,
        to_field_name="version",
    )

    class Meta:
        model = Assessment
        fields = ["title", "bank", "due_date"]
        widgets = {"due_date": DateInput()}
        labels = {"title": _("Title"), "due_date": _("Due date (optional)")}

    clean_due_date = _clean_due_date


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        required=False,
        widget=DateInput(),
        label=_("Due date"),
        help_text=_("Leave empty for none. Reminders go to respondents who have not submitted."),
    )

    clean_due_date = _clean_due_date


class RespondentForm(forms.ModelForm):
    class Meta:
        model = Respondent
        fields = ["name", "email", "role", "title", "business_unit", "language"]
        labels = {
            "name": _("Name"),
            "email": _("Email"),
            "role": _("Executive role"),
            "title": _("Job title"),
            "business_unit": _("Business unit"),
            "language": _("Language"),
        }
        help_texts = {
            "title": _("Job title as they use it."),
            "business_unit": _("As they name it; matched to the organization's business units."),
            "language": LANGUAGE_HELP,
        }

    def __init__(self, *args, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["language"].initial = _active_language()
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or _active_language()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.assessment and self.assessment.respondents.filter(email=email).exists():
            raise forms.ValidationError(
                _("This person is already a respondent of this assessment.")
            )
        return email


def _bulk_help() -> str:
    return _(
        "name, email, role, title, unit — title and unit are optional; the role is one of: "
        "%(roles)s. Tabs work too (paste from a spreadsheet)."
    ) % {"roles": ", ".join(str(label) for label in ExecutiveRole.labels)}


class BulkRespondentsForm(forms.Form):
    lines = forms.CharField(
        label=_("Respondents, one a line"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        max_length=bulk.MAX_TEXT_LENGTH,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, help_text=LANGUAGE_HELP, required=False
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the page also shows the one-respondent form (with a language too).
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["lines"].help_text = _bulk_help()
        self.fields["language"].initial = _active_language()
