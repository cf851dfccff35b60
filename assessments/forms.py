from django import forms

from .models import Assessment, QuestionBank, Respondent


class AssessmentForm(forms.ModelForm):
    bank = forms.ModelChoiceField(
        queryset=QuestionBank.objects.all(),
        label="Question bank version",
        empty_label=None,
        to_field_name="version",
    )

    class Meta:
        model = Assessment
        fields = ["title", "bank"]


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
