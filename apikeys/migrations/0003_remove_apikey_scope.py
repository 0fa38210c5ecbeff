"""Step two of two (see 0002): the old `scope` goes, `scopes` gets its default and its check."""

from __future__ import annotations

from django.db import migrations, models

import apikeys.models


class Migration(migrations.Migration):
    dependencies = [("apikeys", "0002_apikey_scopes")]

    operations = [
        migrations.RemoveConstraint(model_name="apikey", name="apikeys_apikey_scope_known"),
        migrations.RemoveField(model_name="apikey", name="scope"),
        migrations.AlterField(
            model_name="apikey",
            name="scopes",
            field=models.JSONField(
                default=apikeys.models.default_scopes,
                help_text="What the key may do; give it only what its integration needs.",
                verbose_name="scopes",
            ),
        ),
        migrations.AddConstraint(
            model_name="apikey",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "scopes__in",
                        [
                            ["orders"],
                            ["read"],
                            ["write"],
                            ["orders", "read"],
                            ["orders", "write"],
                            ["read", "write"],
                            ["orders", "read", "write"],
                        ],
                    )
                ),
                name="apikeys_apikey_scopes_known",
            ),
        ),
    ]
