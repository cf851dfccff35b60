from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import audit_log_for_consultant

PAGE_SIZE = 50


@login_required
def organization_audit(request, organization_id: int):
    organization, entries = audit_log_for_consultant(request.user, organization_id)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"organization": organization, "page": page})
