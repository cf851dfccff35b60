from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from organizations.models import COLOR_RE, DEFAULT_COLOR

from .models import ReportAudience, ReportFormat, ReportKind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=ReportKind.choices)
    audience = forms.ChoiceField(choices=ReportAudience.choices, required=False)
    file_format = forms.ChoiceField(choices=ReportFormat.choices, required=False)
    # Empty: the language of the page it was requested from.
    language = forms.ChoiceField(
        label=_("Report language"), choices=settings.LANGUAGES, required=False
    )

    def clean_audience(self) -> str:
        return self.cleaned_data["audience"] or ReportAudience.CLIENT

    def clean_file_format(self) -> str:
        return self.cleaned_data["file_format"] or ReportFormat.PDF


class BrandingForm(forms.Form):
    firm_name = forms.CharField(
        label=_("Consulting firm name"), max_length=100, required=False,
        help_text=_("Shown on the cover of every report of this organization."),
    )  # fmt: skip
    color = forms.CharField(
        label=_("Brand colour"),
        initial=DEFAULT_COLOR,
        validators=[RegexValidator(COLOR_RE, _("Use a colour like #1f4e8c."))],
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 512 KB and 2000 × 2000 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
