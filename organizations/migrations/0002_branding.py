"""Branding moves from the reports app to organizations (state only: the table keeps its
name, `reports_branding`, and every row). The reports app's 0003 then forgets its model.

On a fresh database reports 0001 creates the table first (this migration depends on it);
on an existing one the table and its rows are simply adopted. The content type (and with
it the admin permissions) is renamed to the new app.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def adopt_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="organizations", model="branding").exists():
        content_types.objects.filter(app_label="reports", model="branding").update(
            app_label="organizations"
        )


def return_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="reports", model="branding").exists():
        content_types.objects.filter(app_label="organizations", model="branding").update(
            app_label="reports"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("reports", "0002_audience"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Branding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("firm_name", models.CharField(blank=True, max_length=100)),
                        (
                            "color",
                            models.CharField(
                                default="#1f4e8c",
                                max_length=7,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^#[0-9a-fA-F]{6}$", "Use a colour like #1f4e8c."
                                    )
                                ],
                            ),
                        ),
                        ("logo", models.FileField(blank=True, upload_to="branding/")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "organization",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="report_branding",
                                to="organizations.organization",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"verbose_name_plural": "branding", "db_table": "reports_branding"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_content_type, return_content_type),
    ]
