"""A key's one scope becomes a set of scopes: read -> ["read"], read_write -> ["read", "write"].

Step one of two: add `scopes` and fill it from `scope`. The old field and its constraint go
in 0003, in a transaction of their own (PostgreSQL refuses to alter a table whose rows the
same transaction has just updated while deferred foreign-key checks are pending).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.utils import timezone

# The conversion, written out: these are the only two values the old constraint allowed.
SCOPES_OF_OLD_SCOPE: dict[str, list[str]] = {"read": ["read"], "read_write": ["read", "write"]}


def old_scope_of(scopes: list[str]) -> str | None:
    """The old single scope that grants no more than ``scopes``; None when there is none
    (a key without `read`: the old model cannot express it)."""
    if "read" not in scopes:
        return None
    return "read_write" if "write" in scopes else "read"


def scopes_from_scope(apps: Any, schema_editor: Any) -> None:
    api_key = apps.get_model("apikeys", "ApiKey")
    for scope, scopes in SCOPES_OF_OLD_SCOPE.items():
        api_key.objects.filter(scope=scope).update(scopes=scopes)


def scope_from_scopes(apps: Any, schema_editor: Any) -> None:
    """Backwards. `orders` (and any newer scope) has no old equivalent and is dropped; a key
    that cannot be said with the old scopes (no `read`) is revoked rather than given `read`."""
    api_key = apps.get_model("apikeys", "ApiKey")
    for key in api_key.objects.all():
        scope = old_scope_of(list(key.scopes))
        key.scope = scope or "read"
        if scope is None and key.revoked_at is None:
            key.revoked_at = timezone.now()
        key.save(update_fields=["scope", "revoked_at"])


class Migration(migrations.Migration):
    dependencies = [("apikeys", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="scopes",
            field=models.JSONField(
                default=list,
                help_text="What the key may do; give it only what its integration needs.",
                verbose_name="scopes",
            ),
        ),
        migrations.RunPython(scopes_from_scope, scope_from_scopes),
    ]
