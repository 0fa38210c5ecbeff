"""Reviews already written by staff become employee reviews, and their products' figures
are counted again without them (issue 13: no staff review counts).

Staff as reviews.services.user_is_employee says: Django's is_staff, a superuser, or any
role other than shopper. The gate's events already written stay as they are (history is
never rewritten): the days evaluated from now on count without these reviews. Self-contained
(historical models and gate.policy's pure average), so later code changes cannot change
what this migration did.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Count, F, Q, Sum

from gate.policy import average_of

STARS = (1, 2, 3, 4, 5)
STAFF_ROLES = ("moderator", "product_manager", "quality_director")


def staff_reviews_marked(apps: Any, schema_editor: Any) -> None:
    Review = apps.get_model("reviews", "Review")
    User = apps.get_model("accounts", "User")
    Product = apps.get_model("products", "Product")
    staff = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=STAFF_ROLES)).values("pk")
    reviews = Review.objects.filter(author__in=staff, employee=False)
    product_ids = sorted(set(reviews.values_list("product_id", flat=True)))
    marked = reviews.update(employee=True)
    counted = Q(reviews__status="published", reviews__employee=False)
    current = counted & Q(reviews__revision=F("revision"))
    figures: dict[str, Any] = {
        "actual_all_time_count": Count("reviews", filter=counted),
        "actual_all_time_sum": Sum("reviews__rating", filter=counted, default=0),
        "actual_current_count": Count("reviews", filter=current),
        "actual_current_sum": Sum("reviews__rating", filter=current, default=0),
    }
    for star in STARS:
        figures[f"actual_all_time_{star}_star"] = Count("reviews", filter=counted & Q(reviews__rating=star))
        figures[f"actual_current_{star}_star"] = Count("reviews", filter=current & Q(reviews__rating=star))
    for product in Product.objects.filter(pk__in=product_ids).annotate(**figures):
        changes = {name.removeprefix("actual_"): getattr(product, name) for name in figures}
        changes["current_average"] = average_of(count=changes["current_count"], total=changes["current_sum"])
        Product.objects.filter(pk=product.pk).update(**changes)
    if marked:
        print(f"\n  {marked} review(s) by staff marked as employee reviews; {len(product_ids)} product(s) recounted")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_review_employee_and_counted_gate_index"),
        ("accounts", "0005_user_display_name_required"),
        ("products", "0003_product_sku_rule_and_invalid_sku_report"),
    ]

    operations = [migrations.RunPython(staff_reviews_marked, migrations.RunPython.noop)]
