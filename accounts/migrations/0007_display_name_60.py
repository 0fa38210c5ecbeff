"""Display names: at most 60 characters (the column already was), now plain visible text
(core.text_safety.validate_display_name), checked by every form, the admin's included.

No data changes: the column never held more than 60 characters, and a stored name the new
rule refuses is kept until its owner next changes it (the profile form then asks for a
valid one): renaming someone's public name behind their back would be worse, and every
page escapes it meanwhile.
"""

from django.db import migrations, models

import core.text_safety


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_review_thanks_emails"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="display_name",
            field=models.CharField(
                help_text="Shown with your reviews instead of your username, which stays private.",
                max_length=60,
                validators=[core.text_safety.validate_display_name],
                verbose_name="display name",
            ),
        ),
    ]
