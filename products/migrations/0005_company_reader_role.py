"""Creates the company_reader role: it reads every product's reviews, figures and topics on
the desk, and acts on nothing (accounts.roles.COMPANY_READER). Permissions are created here
first, as in accounts.0002, because post_migrate has not run yet on a fresh database."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "company_reader"
# The suite restores roles after a flush from this mapping (tests/conftest.py).
ROLE_PERMISSIONS = {ROLE: ["products.read_every_product"]}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("products")
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
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0004_read_every_product_permission"),
        ("accounts", "0002_roles_and_cache_table"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
