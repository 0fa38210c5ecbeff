"""The admin's names of brand replies ("brand replies", not Django's default "brand replys"),
review votes and review reports, translatable like the other models' names (issue 18)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0012_rejection_note"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="brandreply",
            options={"verbose_name": "brand reply", "verbose_name_plural": "brand replies"},
        ),
        migrations.AlterModelOptions(
            name="reviewreport",
            options={
                "ordering": ["created_at", "id"],
                "verbose_name": "review report",
                "verbose_name_plural": "review reports",
            },
        ),
        migrations.AlterModelOptions(
            name="reviewvote",
            options={"verbose_name": "review vote", "verbose_name_plural": "review votes"},
        ),
    ]
