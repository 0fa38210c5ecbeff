"""Display names are required and never the username (the login name stays private).

Every blank display name is filled with "Customer <id>" (accounts.models
.placeholder_display_name, written out here as migrations must not import app code).
Reviews copy their author's public name when written, and a blank display name used to
copy the USERNAME there: those copies (a review whose author_name is exactly its author's
username while the author had no display name) get the new name too, so no page or API
answer keeps showing a login name. That second step reads reviews' table, which is why
this accounts migration depends on a reviews migration: it is a one-off repair of data
accounts leaked, not a dependency of the code (accounts still imports nothing above it).
Reversing leaves the names as they are.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat


def blank_display_names_filled(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    Review = apps.get_model("reviews", "Review")
    # Set-based (two UPDATEs), reviews first: they are found through the still-blank names.
    Review.objects.filter(author__display_name="", author_name=F("author__username")).update(
        author_name=Concat(Value("Customer "), Cast("author_id", output_field=models.CharField()))
    )
    filled = User.objects.filter(display_name="").update(
        display_name=Concat(Value("Customer "), Cast("id", output_field=models.CharField()))
    )
    if filled:
        print(f"\n  accounts: {filled} blank display name(s) filled with 'Customer <id>'.")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_email_unique"),
        ("reviews", "0003_stored_title_and_text_hold_imported_history"),
    ]

    operations = [
        migrations.RunPython(blank_display_names_filled, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="display_name",
            field=models.CharField(
                help_text="Shown with your reviews instead of your username, which stays private.",
                max_length=60,
                verbose_name="display name",
            ),
        ),
    ]
