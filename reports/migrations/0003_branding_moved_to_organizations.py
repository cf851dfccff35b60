"""Branding now lives in organizations (its 0002 adopted the table `reports_branding`):
forget the model here without touching the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_audience"),
        ("organizations", "0002_branding"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Branding")],
            database_operations=[],
        ),
    ]
