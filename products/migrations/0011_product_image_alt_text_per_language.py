"""A product picture's alternative text per language (products/translation.py), as the
product's name: the text stored so far copied into the English column, so that no picture
loses its text."""

from django.db import migrations, models

HELP = "What the picture shows, for shoppers who cannot see it (read by screen readers)."


def copy_into_english(apps, schema_editor):
    apps.get_model("products", "ProductImage").objects.update(alt_text_en=models.F("alt_text"))


def copy_back_from_english(apps, schema_editor):
    images = apps.get_model("products", "ProductImage").objects.filter(alt_text_en__isnull=False)
    images.update(alt_text=models.F("alt_text_en"))


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0010_page_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="productimage",
            name="alt_text_en",
            field=models.CharField(help_text=HELP, max_length=200, null=True, verbose_name="alternative text"),
        ),
        migrations.AddField(
            model_name="productimage",
            name="alt_text_fr",
            field=models.CharField(help_text=HELP, max_length=200, null=True, verbose_name="alternative text"),
        ),
        migrations.RunPython(copy_into_english, copy_back_from_english, elidable=False),
    ]
