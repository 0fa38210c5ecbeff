"""Creates the customer_care role and gives it the care app's permissions; product managers
and quality directors may read cases (of the products they manage: desk.selectors.care decides
per product). Permissions are created here first, as in accounts.0002, because post_migrate has
not run yet on a fresh database."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "customer_care": [
        "care.handle_case",
        "care.view_case",
        "care.view_casemessage",
        "products.view_product",
        "reviews.view_review",
    ],
    "product_manager": ["care.view_case", "care.view_casemessage"],
    "quality_director": ["care.view_case", "care.view_casemessage"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("care")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="customer_care").delete()
    Permission = apps.get_model("auth", "Permission")
    for role in ("product_manager", "quality_director"):
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(*Permission.objects.filter(content_type__app_label="care"))


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_initial"),
        ("accounts", "0002_roles_and_cache_table"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
