"""Before orders existed, "verified purchase" was a flag the demo seeder set: nothing in
reviewgate knew who bought what. From now on only reviews.services sets it, by the rule of
docs/invitations.md, and no review written before could meet that rule (no order, no
invitation was ever recorded), so the old flags go."""

from __future__ import annotations

from django.db import migrations


def unverify_unproven(apps, schema_editor):  # type: ignore[no-untyped-def]
    Review = apps.get_model("reviews", "Review")
    Review.objects.filter(verified_purchase=True, order_line__isnull=True).update(verified_purchase=False)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0007_review_order_line_of_invitation")]

    operations = [migrations.RunPython(unverify_unproven, migrations.RunPython.noop)]
