"""Pages: the benchmark reference data, and an organization's baselines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.display import localize_number
from common.forms import run_on_form
from organizations.policy import Action, allows, authorize

from . import selectors, services
from .baselines import AMOUNTS, SHARES
from .forms import ORDER, BaselineForm
from .projection import projection_view


@login_required
def reference(request):
    return render(
        request, "benchmarks/reference.html", {"reference": selectors.current_reference()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def baselines(request, organization_id: int):
    """Consultants and CoE leads edit; executives read (organizations.policy)."""
    action = Action.EDIT_BASELINES if request.method == "POST" else Action.READ_BASELINES
    membership = authorize(request.user, organization_id, action)
    organization = membership.organization
    can_edit = allows(membership, Action.EDIT_BASELINES)
    projected = selectors.organization_projection(organization.pk)
    baseline = projected.baseline
    if request.method == "POST":
        form = BaselineForm(request.POST)
        if form.is_valid():
            saved, _result = run_on_form(
                form,
                lambda: services.baseline_update(
                    organization=organization, data=form.cleaned_data, user=request.user
                ),
            )
            if saved:
                messages.success(request, _("Baselines saved."))
                return redirect("benchmarks:baselines", organization_id=organization.pk)
        status = 400
    else:
        form = BaselineForm(initial=_initial(baseline)) if can_edit else None
        status = 200
    context = {
        "organization": organization,
        "baseline": baseline,
        "can_edit": can_edit,
        "form": form,
        "amounts": [
            (_LABELS[name], name in SHARES, getattr(baseline, name) if baseline else None)
            for name in ORDER
            if name != "currency"
        ],
        "projection": projection_view(
            projected.baselines, projected.projection, projected.payback, projected.roi_bands
        ),
    }
    return render(request, "benchmarks/baselines.html", context, status=status)


_LABELS = {**{name: label for name, (label, _digits) in AMOUNTS.items()}, **SHARES}


def _initial(baseline) -> dict:
    if baseline is None:
        return {}
    return {
        **{name: _plain(getattr(baseline, name)) for name in (*AMOUNTS, *SHARES)},
        "currency": baseline.currency,
    }


def _plain(value) -> str:
    """A stored Decimal for editing, without grouping: 1500000.00 → "1500000", 12.50 →
    "12.50" (German "12,50", as the form takes it back)."""
    if value is None:
        return ""
    return localize_number(
        str(value.quantize(1)) if value == value.to_integral_value() else str(value)
    )
