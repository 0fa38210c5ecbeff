# The product page's version (products.page_version): cached pages and ETags are keyed by it.
# Defaults in the database too, for rows written outside the ORM.

import django.db.models.functions.datetime
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0009_list_ordering_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="page_version",
            field=models.PositiveBigIntegerField(db_default=0, default=0, editable=False, verbose_name="page version"),
        ),
        migrations.AddField(
            model_name="product",
            name="page_changed_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="page changed at",
            ),
        ),
    ]
