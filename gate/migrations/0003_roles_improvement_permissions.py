"""Gives the gate's permissions to the roles that use them.

Product managers and quality directors log improvements (for the products they may manage:
gate.services checks that per product) and read the gate's events and notices; quality
directors may also change a notice (assign it). Permissions are created here first, as in
accounts.0002, because post_migrate has not run yet on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "product_manager": [
        "gate.add_improvement",
        "gate.view_improvement",
        "gate.view_gateevent",
        "gate.view_withdrawalnotice",
    ],
    "quality_director": [
        "gate.add_improvement",
        "gate.view_improvement",
        "gate.view_gateevent",
        "gate.view_withdrawalnotice",
        "gate.change_withdrawalnotice",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("gate")
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
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("gate", "0002_clock_policy"),
        ("accounts", "0002_roles_and_cache_table"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
