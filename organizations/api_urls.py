from django.urls import path

from . import api

urlpatterns = [
    path("organizations/", api.OrganizationListView.as_view(), name="api-organizations"),
    path(
        "organizations/<int:organization_id>/",
        api.OrganizationDetailView.as_view(),
        name="api-organization",
    ),
    path(
        "organizations/<int:organization_id>/memberships/",
        api.MembershipListView.as_view(),
        name="api-memberships",
    ),
    path(
        "organizations/<int:organization_id>/memberships/<int:membership_id>/",
        api.MembershipDetailView.as_view(),
        name="api-membership",
    ),
]
