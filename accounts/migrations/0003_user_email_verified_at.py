"""Accounts prove they own their email address; the accounts that exist are taken as proven.

Their reviews are already published and counted: asking them again would unpublish
history nobody disputes. New accounts verify from now on.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import F


def existing_accounts_verified(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    User.objects.filter(email_verified_at__isnull=True).update(email_verified_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles_and_cache_table")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="email verified at"),
        ),
        migrations.RunPython(existing_accounts_verified, migrations.RunPython.noop),
    ]
