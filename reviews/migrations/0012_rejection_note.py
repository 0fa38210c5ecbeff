from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reviews", "0011_review_search_index")]

    operations = [
        migrations.AddField(
            model_name="reviewstatuschange",
            name="note",
            field=models.TextField(blank=True, max_length=2000),
        ),
    ]
