"""Every email is HTML with a text part, names the consultant firm (branding) and links
to SITE_URL (DESIGN §12); the branding moved to organizations without losing a row."""

import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from assessments import services
from organizations.models import Branding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#aa3300").save(out, format="PNG")
    return out.getvalue()


def test_the_invitation_is_html_with_the_firm_its_logo_and_a_site_url_link(
    respondent, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8102"
    settings.MEDIA_ROOT = tmp_path
    branding = Branding.objects.create(
        organization=respondent.assessment.organization,
        firm_name="Northwind Advisory",
        color="#aa3300",
    )
    branding.logo.save("1-abcdef123456.png", ContentFile(_png()))

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(respondent=respondent)

    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    link = f"http://127.0.0.1:8102/r/{respondent.token}/"
    logo = "http://127.0.0.1:8102/organizations/branding/logo/1-abcdef123456.png"
    assert mimetype == "text/html"
    assert link in message.body and f'href="{link}"' in html
    assert "Northwind Advisory" in message.body and "Northwind Advisory" in html
    assert f'src="{logo}"' in html and "#aa3300" in html
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_without_branding_the_email_names_the_product(
    respondent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(respondent=respondent)
    (message,) = mail.outbox
    assert "AI Scaling Maturity" in message.alternatives[0][0]


def test_the_logo_in_emails_is_served_by_its_stored_name_only(
    client, organization, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    branding = Branding.objects.create(organization=organization, firm_name="Northwind")
    branding.logo.save("7-0123456789ab.png", ContentFile(_png()))
    stored = branding.logo.name.rsplit("/", 1)[-1]

    served = client.get(f"/organizations/branding/logo/{stored}")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert client.get("/organizations/branding/logo/7-unknown.png").status_code == 404
    assert client.get("/organizations/branding/logo/..%2Fsecret.png").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_moving_branding_to_organizations_keeps_every_row(organization):
    """Back to before the move (the model in reports), a row, then forward again."""
    before = [("organizations", "0001_initial"), ("reports", "0002_audience")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldBranding = old_apps.get_model("reports", "Branding")
    OldBranding.objects.create(
        organization_id=organization.pk, firm_name="Northwind Advisory", color="#aa3300"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    branding = Branding.objects.get(organization=organization)
    assert (branding.firm_name, branding.color) == ("Northwind Advisory", "#aa3300")
