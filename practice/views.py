"""The consultant's home: the portfolio of client organizations (DESIGN §11)."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from common.charts import figure_data
from organizations.models import Industry, Membership, Role

from . import charts, selectors
from .portfolio import CSV_COLUMNS, SORTS, STATUSES, BadQuery, Query, by_phase, select

PAGE_SIZE = 25


@login_required
def home(request):
    """Consultants land on their portfolio; everyone else on their organizations."""
    if Membership.objects.filter(user=request.user, role=Role.CONSULTANT).exists():
        return redirect("practice:portfolio")
    return redirect("organizations:list")


def _selected(request):
    """(the query, the rows it selects, every row) or a BadQuery."""
    query = Query.parse(request.GET, {value for value, _ in Industry.choices})
    rows = selectors.portfolio_rows(request.user)
    return query, select(rows, query), rows


@login_required
@require_GET
def portfolio(request):
    try:
        query, rows, everyone = _selected(request)
    except BadQuery as exc:
        query, rows, everyone = Query(), [], selectors.portfolio_rows(request.user)
        error = {"field": exc.field, "message": exc.message}
        status = 400
    else:
        error, status = None, 200
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    phases = selectors.phase_names() if everyone else {}
    counts = by_phase(rows, phases) if phases else []
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = request.GET.copy()
    for name in ("page", "sort"):
        sort_params.pop(name, None)
    context = {
        "page": page,
        "rows": page.object_list,
        "total": len(rows),
        "clients": len(everyone),
        "query": query,
        "error": error,
        "industries": Industry.choices,
        "statuses": STATUSES,
        "phases": sorted(phases.items()),
        "phase_counts": counts,
        "chart": figure_data(charts.by_phase(counts)) if counts else None,
        "sorts": list(SORTS),
        "params": params.urlencode(),
        "sort_params": sort_params.urlencode(),
    }
    return render(request, "practice/portfolio.html", context, status=status)


@login_required
@require_GET
def portfolio_csv(request):
    try:
        _, rows, _ = _selected(request)
    except BadQuery as exc:
        return HttpResponse(
            f"{exc.field}: {exc.message}", status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stem = slugify(f"portfolio {timezone.localdate():%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    writer = csv.writer(response)
    writer.writerow([label for _, label in CSV_COLUMNS])
    for row in rows:
        data = row.as_dict()
        writer.writerow([_cell(data[key]) for key, _ in CSV_COLUMNS])
    return response


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if hasattr(value, "isoformat"):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return str(value)
