from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input
from products.models import Product
from reviews.ratings import product_ratings_recompute


class Command(OperatorCommand):
    help = (
        "Rebuilds every product's rating figures (count, sum, star histogram, current revision "
        "and all time) from its published reviews, and reports any drift it corrected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sku", action="append", default=[], help="only this product (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        product_ids = None
        if options["sku"]:
            found = dict(Product.objects.filter(sku__in=options["sku"]).values_list("sku", "pk"))
            missing = sorted(set(options["sku"]) - set(found))
            if missing:
                raise bad_input(f"unknown product SKU(s): {', '.join(missing)}")
            product_ids = list(found.values())
        drifts = product_ratings_recompute(product_ids=product_ids)
        for drift in drifts:
            self.stdout.write(f"corrected {drift.sku} {drift.field}: stored {drift.stored}, actual {drift.actual}")
        if drifts:
            products = len({d.sku for d in drifts})
            self.stdout.write(self.style.WARNING(f"{len(drifts)} figure(s) corrected on {products} product(s)."))
        else:
            self.stdout.write(self.style.SUCCESS("All rating figures match the reviews: nothing to correct."))
