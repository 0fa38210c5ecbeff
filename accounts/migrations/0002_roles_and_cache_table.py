"""Creates the four roles as groups with their permissions, and the database cache table.

Permissions are normally created after all migrations (post_migrate); they are created here
first so the groups can be given them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.core.management import call_command
from django.db import migrations

ROLE_PERMISSIONS = {
    "shopper": [
        "reviews.add_review",
        "reviews.add_reviewvote",
        "reviews.add_reviewreport",
    ],
    "moderator": [
        "reviews.view_review",
        "reviews.moderate_review",
        "reviews.view_reviewreport",
        "reviews.change_reviewreport",
        "products.view_product",
    ],
    "product_manager": [
        "products.view_product",
        "products.manage_own_products",
        "reviews.view_review",
        "reviews.add_brandreply",
        "reviews.change_brandreply",
    ],
    "quality_director": [
        "products.view_product",
        "products.manage_own_products",
        "products.manage_all_products",
        "reviews.view_review",
        "reviews.add_brandreply",
        "reviews.change_brandreply",
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
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


def create_cache_table(apps, schema_editor):
    # The default cache is the database (shared by every worker); its table is not a model.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("products", "0001_initial"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
