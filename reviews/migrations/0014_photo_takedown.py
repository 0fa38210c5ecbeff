"""A moderator takes down one photo of a review (desk.photo_takedown): when, by whom, the
reason and the note its author is emailed; the photo is never shown again (issue 18)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0013_brand_reply_plural"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewphoto",
            name="removed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="removed at"),
        ),
        migrations.AddField(
            model_name="reviewphoto",
            name="removed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="reviewphoto",
            name="removed_note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="note to the author"),
        ),
        migrations.AddField(
            model_name="reviewphoto",
            name="removed_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("spam", "Spam or advertising"),
                    ("offensive", "Offensive or abusive language"),
                    ("personal_data", "Contains personal data"),
                    ("off_topic", "Not about the product"),
                    ("fake", "Fake or conflict of interest"),
                    ("author_deleted", "Deleted by its author"),
                    ("other", "Other"),
                    ("burst", "Held: an unusual burst of reviews on this product"),
                    ("email_unverified", "Waiting for the author's email confirmation"),
                ],
                max_length=32,
                verbose_name="removal reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewphoto",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("removed_at__isnull", True), ("removed_note", ""), ("removed_reason", "")),
                    models.Q(("removed_at__isnull", False), models.Q(("removed_reason", ""), _negated=True)),
                    _connector="OR",
                ),
                name="reviews_reviewphoto_removed_has_reason",
            ),
        ),
    ]
