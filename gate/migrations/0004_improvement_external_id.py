"""An imported improvement's own id (CSV ``improvement_id``), unique: a re-import adds nothing."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gate", "0003_roles_improvement_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="improvement",
            name="external_id",
            field=models.CharField(blank=True, max_length=100, null=True),
        ),
        migrations.AddConstraint(
            model_name="improvement",
            constraint=models.UniqueConstraint(fields=("external_id",), name="gate_improvement_external_id_unique"),
        ),
    ]
