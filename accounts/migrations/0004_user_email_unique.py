"""One account per email address, whatever its case (accounts_user_email_unique).

Before the constraint is added, addresses already shared are settled, so this migration
cannot fail on a live database: in each group of accounts using the same address
(compared in lower case), the OLDEST account (earliest date_joined, then lowest id) keeps
it; every other account's address is blanked and marked unverified, and a report naming
those accounts by id (never by address) is printed. Their owners can sign in with their
username and enter a new address on their profile; an operator can read the report to
contact them. Reversing drops the constraint; the blanked addresses are not restored.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import django.db.models.functions.text
from django.db import migrations, models


def shared_addresses_settled(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    by_address: dict[str, list[int]] = defaultdict(list)
    accounts = User.objects.exclude(email="").order_by("date_joined", "id").values_list("id", "email")
    for account_id, email in accounts.iterator():
        by_address[email.strip().lower()].append(account_id)
    blanked: list[tuple[int, list[int]]] = [(ids[0], ids[1:]) for ids in by_address.values() if len(ids) > 1]
    if not blanked:
        return
    others = [account_id for _kept, rest in blanked for account_id in rest]
    User.objects.filter(id__in=others).update(email="", email_verified_at=None)
    print(f"\n  accounts: {len(others)} account(s) shared an email address with an older account;")
    print("  the oldest keeps it, the others' address was blanked (they sign in by username):")
    for kept, rest in blanked:
        print(f"    kept by account {kept}; blanked for account(s) {', '.join(str(i) for i in rest)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_email_verified_at")]

    operations = [
        migrations.RunPython(shared_addresses_settled, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="accounts_user_email_unique",
                violation_error_message="Another account already uses this email address.",
            ),
        ),
    ]
