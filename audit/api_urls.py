from django.urls import path

from . import api

urlpatterns = [
    path(
        "organizations/<id:organization_id>/audit/",
        api.OrganizationAuditView.as_view(),
        name="api-organization-audit",
    ),
]
