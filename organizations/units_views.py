"""The business units page (DESIGN §10): the organization's tree of units, managed by
its consultants and CoE lead. Forms post and redirect back; service errors land on the
form (a 400 with the field named)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import run_on_form

from . import services
from .models import BusinessUnit
from .policy import Action, authorize
from .unit_tree import Unit, tree_order


class UnitForm(forms.Form):
    name = forms.CharField(max_length=services.UNIT_NAME_LENGTH, label=gettext_lazy("Name"))
    parent = forms.ModelChoiceField(
        queryset=BusinessUnit.objects.none(),
        required=False,
        label=gettext_lazy("Part of"),
        empty_label=gettext_lazy("— top level —"),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = BusinessUnit.objects.filter(organization=organization)


def _tree(organization) -> list[dict]:
    units = {u.pk: u for u in organization.business_units.all()}
    order = tree_order(Unit(u.pk, u.name, u.parent_id) for u in units.values())
    return [
        {"unit": units[unit.id], "depth": depth, "indent": "· " * depth} for unit, depth in order
    ]


def _page(request, organization, form, status=200, edit_forms=None):
    context = {
        "organization": organization,
        "form": form,
        "tree": _tree(organization),
        "edit_forms": edit_forms or {},
    }
    return render(request, "organizations/units.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def units_page(request, organization_id: int):
    organization = authorize(request.user, organization_id, Action.MANAGE_UNITS).organization
    form = UnitForm(request.POST or None, organization=organization)
    if request.method == "POST":
        saved = (
            form.is_valid()
            and run_on_form(
                form,
                lambda: services.unit_create(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    parent=form.cleaned_data["parent"],
                    user=request.user,
                ),
            )[0]
        )
        if saved:
            messages.success(
                request,
                _("Business unit “%(name)s” added.") % {"name": form.cleaned_data["name"]},
            )
            return redirect("organizations:units", organization.pk)
        return _page(request, organization, form, status=400)
    return _page(request, organization, form)


@login_required
@require_POST
def unit_edit(request, organization_id: int, unit_id: int):
    organization = authorize(request.user, organization_id, Action.MANAGE_UNITS).organization
    unit = get_object_or_404(BusinessUnit, organization=organization, pk=unit_id)
    form = UnitForm(request.POST, organization=organization)
    if (
        form.is_valid()
        and run_on_form(
            form,
            lambda: services.unit_update(
                unit=unit,
                data={"name": form.cleaned_data["name"], "parent": form.cleaned_data["parent"]},
                user=request.user,
            ),
        )[0]
    ):
        messages.success(
            request, _("Business unit “%(name)s” saved.") % {"name": form.cleaned_data["name"]}
        )
        return redirect("organizations:units", organization.pk)
    new = UnitForm(organization=organization)
    return _page(request, organization, new, status=400, edit_forms={unit.pk: form})


@login_required
@require_POST
def unit_delete(request, organization_id: int, unit_id: int):
    organization = authorize(request.user, organization_id, Action.MANAGE_UNITS).organization
    unit = get_object_or_404(BusinessUnit, organization=organization, pk=unit_id)
    try:
        services.unit_delete(unit=unit, user=request.user)
    except services.InputError as error:
        messages.error(
            request,
            _("“%(name)s” was not deleted: %(error)s") % {"name": unit.name, "error": error},
        )
    else:
        messages.success(request, _("Business unit “%(name)s” deleted.") % {"name": unit.name})
    return redirect("organizations:units", organization.pk)
