"""Pages of the question bank editor (/methodology/), for staff and holders of the
"methodology" permission (assessments.edit_question_banks). Question banks are shared
by every organization, so these pages sit outside the organization policy table."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import InputError
from common.forms import add_input_error, run_on_form

from . import bank_editor
from .bank import BankError
from .bank_diff import bank_diff
from .bank_files import to_xlsx, to_yaml
from .models import BankDraft, QuestionBank

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bank_editor_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not bank_editor.can_edit_banks(request.user):
            raise PermissionDenied(_("Editing question banks needs the methodology permission."))
        return view(request, *args, **kwargs)

    return wrapped


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.version


class NewDraftForm(forms.Form):
    based_on = VersionChoiceField(
        queryset=QuestionBank.objects.all(), label=gettext_lazy("Start from"), empty_label=None
    )
    version = forms.CharField(
        max_length=32, label=gettext_lazy("New version"), help_text=gettext_lazy("e.g. 2027.1")
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bank file (.yaml or .xlsx)"))


class CompareForm(forms.Form):
    old = forms.ChoiceField(label=gettext_lazy("From"))
    new = forms.ChoiceField(label=gettext_lazy("To"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(bank.version, bank.version) for bank in QuestionBank.objects.all()] + [
            (f"draft-{draft.pk}", _("Draft %(version)s") % {"version": draft.version})
            for draft in BankDraft.objects.all()
        ]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices
        # By default, what the latest version changed.
        if len(choices) > 1 and not self.is_bound:
            published = [value for value, _label in choices if not value.startswith("draft-")]
            self.initial = {"old": published[1 if len(published) > 1 else 0], "new": choices[0][0]}


@bank_editor_only
@require_GET
def bank_list(request):
    return render(
        request,
        "methodology/banks.html",
        {
            "banks": QuestionBank.objects.all(),
            "drafts": BankDraft.objects.select_related("based_on"),
            "new_form": NewDraftForm(initial={"based_on": QuestionBank.objects.first()}),
            "import_form": ImportForm(),
            "compare_form": CompareForm(),
        },
    )


@bank_editor_only
@require_POST
def draft_new(request):
    form = NewDraftForm(request.POST)
    if form.is_valid():
        ok, draft = run_on_form(
            form,
            lambda: bank_editor.draft_create(
                based_on=form.cleaned_data["based_on"],
                version=form.cleaned_data["version"],
                user=request.user,
            ),
        )
        if ok:
            messages.success(request, _("Draft %(version)s started.") % {"version": draft.version})
            return redirect("methodology:draft", draft_id=draft.pk)
    return _list_with(request, new_form=form)


@bank_editor_only
@require_POST
def draft_import(request):
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        ok, draft = run_on_form(
            form,
            lambda: bank_editor.draft_import(
                name=upload.name,
                data=upload.read(bank_editor.MAX_IMPORT_BYTES + 1),
                user=request.user,
            ),
        )
        if ok:
            messages.success(
                request,
                _("Draft %(version)s imported from %(file)s.")
                % {"version": draft.version, "file": upload.name},
            )
            return redirect("methodology:draft", draft_id=draft.pk)
    return _list_with(request, import_form=form)


def _list_with(request, **forms_with_errors):
    context = {
        "banks": QuestionBank.objects.all(),
        "drafts": BankDraft.objects.select_related("based_on"),
        "new_form": NewDraftForm(initial={"based_on": QuestionBank.objects.first()}),
        "import_form": ImportForm(),
        "compare_form": CompareForm(),
        **forms_with_errors,
    }
    return render(request, "methodology/banks.html", context, status=400)


@bank_editor_only
@require_GET
def draft_detail(request, draft_id):
    draft = get_object_or_404(BankDraft, pk=draft_id)
    return render(
        request,
        "methodology/draft.html",
        {"draft": draft, "problems": bank_editor.draft_problems(draft)},
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    help = forms.CharField(
        required=False, label=gettext_lazy("Help"), widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.FloatField(initial=1, label=gettext_lazy("Weight"))
    weight_reason = forms.CharField(
        required=False,
        label=gettext_lazy("Why this weight"),
        help_text=gettext_lazy("Required when the weight is not 1."),
    )
    allow_na = forms.BooleanField(required=False, label=gettext_lazy("“Not applicable” allowed"))
    tags = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Pitfall tags")
    )
    level_1 = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    level_2 = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    level_3 = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    level_4 = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    level_5 = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, pitfalls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(p["key"], p["title"]) for p in pitfalls]
        for number in range(1, 6):
            self.fields[f"level_{number}"].label = _("Level %(number)s") % {"number": number}

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"].strip(),
            "help": data["help"].strip(),
            "weight": data["weight"],
            "weight_reason": data["weight_reason"].strip(),
            "allow_na": data["allow_na"],
            "tags": data["tags"],
            # A blank level is left out: the loader then names the missing level.
            "levels": [
                data[f"level_{n}"].strip() for n in range(1, 6) if data[f"level_{n}"].strip()
            ],
        }


@bank_editor_only
@require_http_methods(["GET", "POST"])
def question_edit(request, draft_id, question_key):
    draft = get_object_or_404(BankDraft, pk=draft_id)
    dimension, question = _find_question(draft, question_key)
    pitfalls = draft.document.get("pitfalls", [])
    if request.method == "POST":
        form = QuestionForm(request.POST, pitfalls=pitfalls)
        if form.is_valid():
            ok, _result = run_on_form(
                form,
                lambda: bank_editor.draft_update_question(
                    draft=draft, key=question_key, values=form.values(), user=request.user
                ),
            )
            if ok:
                messages.success(request, _("Question %(key)s saved.") % {"key": question_key})
                return redirect("methodology:draft", draft_id=draft.pk)
        status = 400
    else:
        levels = question.get("levels", [])
        form = QuestionForm(
            pitfalls=pitfalls,
            initial={
                **{name: question.get(name, "") for name in ("text", "help", "weight_reason")},
                "weight": question.get("weight", 1),
                "allow_na": question.get("allow_na", False),
                "tags": question.get("tags", []),
                **{f"level_{n}": text for n, text in enumerate(levels, start=1)},
            },
        )
        status = 200
    return render(
        request,
        "methodology/edit.html",
        {
            "draft": draft,
            "form": form,
            "what": _("Question %(key)s") % {"key": question_key},
            "dimension": dimension,
        },
        status=status,
    )


class DimensionForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    description = forms.CharField(
        required=False, label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3})
    )
    weight = forms.FloatField(initial=1, label=gettext_lazy("Weight"))
    weight_reason = forms.CharField(
        required=False,
        label=gettext_lazy("Why this weight"),
        help_text=gettext_lazy("Required when the weight is not 1."),
    )


@bank_editor_only
@require_http_methods(["GET", "POST"])
def dimension_edit(request, draft_id, dimension_key):
    draft = get_object_or_404(BankDraft, pk=draft_id)
    dimension = next((d for d in draft.document["dimensions"] if d["key"] == dimension_key), None)
    if dimension is None:
        raise Http404("No such dimension in this draft.")
    if request.method == "POST":
        form = DimensionForm(request.POST)
        if form.is_valid():
            values = {
                k: v.strip() if isinstance(v, str) else v for k, v in form.cleaned_data.items()
            }
            ok, _result = run_on_form(
                form,
                lambda: bank_editor.draft_update_dimension(
                    draft=draft, key=dimension_key, values=values, user=request.user
                ),
            )
            if ok:
                messages.success(
                    request, _("Dimension %(title)s saved.") % {"title": dimension["title"]}
                )
                return redirect("methodology:draft", draft_id=draft.pk)
        status = 400
    else:
        form = DimensionForm(
            initial={
                "title": dimension.get("title", ""),
                "description": dimension.get("description", ""),
                "weight": dimension.get("weight", 1),
                "weight_reason": dimension.get("weight_reason", ""),
            }
        )
        status = 200
    return render(
        request,
        "methodology/edit.html",
        {
            "draft": draft,
            "form": form,
            "what": _("Dimension %(title)s") % {"title": dimension["title"]},
        },
        status=status,
    )


def _find_question(draft: BankDraft, key: str) -> tuple[dict, dict]:
    for dimension in draft.document["dimensions"]:
        for question in dimension["questions"]:
            if question["key"] == key:
                return dimension, question
    raise Http404("No such question in this draft.")


@bank_editor_only
@require_POST
def draft_publish(request, draft_id):
    draft = get_object_or_404(BankDraft, pk=draft_id)
    try:
        bank = bank_editor.draft_publish(draft=draft, user=request.user)
    except InputError as error:
        for problem in error.errors:
            messages.error(request, problem.message)
        return redirect("methodology:draft", draft_id=draft.pk)
    messages.success(
        request, _("Question bank %(version)s is published.") % {"version": bank.version}
    )
    return redirect("methodology:banks")


@bank_editor_only
@require_POST
def draft_delete(request, draft_id):
    draft = get_object_or_404(BankDraft, pk=draft_id)
    bank_editor.draft_delete(draft=draft, user=request.user)
    messages.success(request, _("Draft %(version)s deleted.") % {"version": draft.version})
    return redirect("methodology:banks")


@bank_editor_only
@require_GET
def bank_export(request, version, file_format):
    stored = get_object_or_404(QuestionBank, version=version)
    return _file(stored.document, f"question-bank-{stored.version}", file_format)


@bank_editor_only
@require_GET
def draft_export(request, draft_id, file_format):
    draft = get_object_or_404(BankDraft, pk=draft_id)
    return _file(draft.document, f"question-bank-{draft.version}-draft", file_format)


def _file(document: dict, name: str, file_format: str) -> HttpResponse:
    if file_format not in ("yaml", "xlsx"):
        raise Http404("Banks export as .yaml or .xlsx.")
    if file_format == "yaml":
        response = HttpResponse(to_yaml(document), content_type="application/yaml; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(document), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@bank_editor_only
@require_GET
def compare(request):
    form = CompareForm(request.GET or None)
    diff = None
    if form.is_bound and form.is_valid():
        try:
            diff = bank_diff(_bank_of(form.cleaned_data["old"]), _bank_of(form.cleaned_data["new"]))
        except BankError as error:
            add_input_error(
                form, InputError(None, "invalid", _("Cannot compare: %(error)s") % {"error": error})
            )
    return render(
        request,
        "methodology/compare.html",
        {"form": form, "diff": diff},
        status=400 if form.is_bound and form.errors else 200,
    )


def _bank_of(choice: str):
    if choice.startswith("draft-"):
        return bank_editor.draft_bank(get_object_or_404(BankDraft, pk=int(choice[6:])))
    return bank_editor.published_bank(get_object_or_404(QuestionBank, version=choice))
