from django.urls import path

from audit.views import organization_audit

from . import units_views, views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    path("<id:organization_id>/audit/", organization_audit, name="audit"),
    path("<id:organization_id>/units/", units_views.units_page, name="units"),
    path("<id:organization_id>/units/<id:unit_id>/", units_views.unit_edit, name="unit-edit"),
    path(
        "<id:organization_id>/units/<id:unit_id>/delete/",
        units_views.unit_delete,
        name="unit-delete",
    ),
    # The firm's logo in emails: public (a mail client fetches it without a session),
    # by its unguessable stored name.
    path("branding/logo/<str:name>", views.branding_logo, name="branding-logo"),
]
