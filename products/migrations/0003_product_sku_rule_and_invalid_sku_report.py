"""The SKU rule on the product's SKU (a validator), and a report of stored SKUs that break it.

The rule is not a database check constraint on purpose: SKUs stored before it (an import
once accepted "a/b") must keep working: the product keeps its reviews, figures and gate
state, every page still lists it (unlinked, see core.url_converters.sku_reverse), and a
constraint would make this migration fail on such a database, or force renaming SKUs that
other systems know. So the migration changes no data: it names each such product, once, so
that someone renames it in the admin (whose form checks the rule).
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

import products.models
from core.skus import sku_problem


def invalid_sku_report(products_with_sku: Any) -> list[str]:
    """One line per product whose SKU breaks the rule: id, SKU, why, and what to do."""
    lines = []
    for product_id, sku in products_with_sku.order_by("pk").values_list("pk", "sku").iterator():
        problem = sku_problem(sku)
        if problem is not None:
            lines.append(f"product id {product_id}, SKU {sku!r}: {problem}; rename it in the admin")
    return lines


def report_invalid_skus(apps: Any, schema_editor: BaseDatabaseSchemaEditor, *, out: TextIO | None = None) -> None:
    """Prints the report (nothing when every SKU is valid); never fails, changes nothing."""
    product_model = apps.get_model("products", "Product")
    lines = invalid_sku_report(product_model.objects.using(schema_editor.connection.alias))
    if not lines:
        return
    out = out or sys.stdout
    out.write(f"\n  {len(lines)} product(s) have a SKU that breaks the SKU rule; their pages are 404 until renamed:\n")
    for line in lines:
        out.write(f"  {line}\n")


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0002_product_flagged_on_product_gate_state_and_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="sku",
            field=models.CharField(
                help_text="1 to 64 characters: ASCII letters, digits, “.”, “_” and “-”, starting with a letter or digit.",
                max_length=64,
                unique=True,
                validators=[products.models.validate_sku],
                verbose_name="SKU",
            ),
        ),
        # Nothing to undo on the way back: the report changed nothing.
        migrations.RunPython(report_invalid_skus, migrations.RunPython.noop, elidable=True),
    ]
