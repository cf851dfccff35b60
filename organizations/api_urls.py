from django.urls import path

from . import api

urlpatterns = [
    path("organizations/", api.OrganizationListView.as_view(), name="api-organizations"),
    path(
        "organizations/<id:organization_id>/",
        api.OrganizationDetailView.as_view(),
        name="api-organization",
    ),
    path(
        "organizations/<id:organization_id>/memberships/",
        api.MembershipListView.as_view(),
        name="api-memberships",
    ),
    path(
        "organizations/<id:organization_id>/memberships/<id:membership_id>/",
        api.MembershipDetailView.as_view(),
        name="api-membership",
    ),
]
