"""The version of what a product's page and its figures show, for caches and ETags.

Every change that alters the product page or the product's figures in the API (a review
posted, edited, deleted or moderated, a vote, a brand reply, a photo, a gate event, an
improvement, the product's or its category's names, pictures and translations) calls
`page_version_bump` in its own transaction. The cached pages (storefront) and API answers
are keyed by the version, so they change exactly when it commits; nothing is ever deleted
from the cache, and a transaction that rolls back bumps nothing.

A reader that takes the version first and the data after (two statements, READ COMMITTED)
may store newer data under an older version, never older data under a newer one: a cached
page is never staler than its key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Now
from django.utils import timezone

from products.models import Product


def page_version_raised() -> dict[str, Any]:
    """The assignments that raise the version, for a service that updates the product's row
    anyway (the figures, the gate state): one statement instead of two."""
    return {"page_version": F("page_version") + 1, "page_changed_at": Now()}


def page_version_bump(product_id: int) -> None:
    """Raise the product's page version (one UPDATE, in the caller's transaction).

    The UPDATE locks the product's row until the transaction ends, as the figures' own
    updates do, so call it after the service's other locks on the product's reviews."""
    Product.objects.filter(pk=product_id).update(**page_version_raised())


def page_versions_bump(product_ids: Iterable[int]) -> None:
    """The same for several products (an import, a recount, a category's rename), in id
    order so that two of these never wait for each other in a cycle."""
    ids = sorted(set(product_ids))
    if ids:
        Product.objects.filter(pk__in=ids).update(**page_version_raised())


def category_page_versions_bump(category_id: int) -> None:
    """A category's name is on each of its products' pages (the breadcrumb)."""
    page_versions_bump(Product.objects.filter(category_id=category_id).values_list("pk", flat=True))


@dataclass(frozen=True)
class PageVersion:
    """What a cached answer about one product is keyed by."""

    product_id: int
    version: int
    changed_at: datetime

    @property
    def key(self) -> str:
        # The moment too: a product deleted and made again under its SKU (or a database
        # restored from a backup) starts again at version 0.
        return f"{self.product_id}.{self.version}.{self.changed_at.timestamp():.6f}"


def _version_by_sku_sql() -> str:
    meta = Product._meta
    column = {field.name: field.column for field in meta.concrete_fields}
    return (
        f'SELECT "{meta.pk.column}", "{column["page_version"]}", "{column["page_changed_at"]}" '  # noqa: S608  # nosec B608  # names from the model, the sku a parameter
        f'FROM "{meta.db_table}" WHERE "{column["sku"]}" = %s'
    )


# Built once from the model's names. Every cached answer (a page hit, a 304, the API's
# product) starts with this look-up, so it is one plain statement on the sku's unique index:
# the ORM's query building (and modeltranslation's rewriting) cost twice the round trip
# itself on a cache hit (0.53 ms against 0.24 ms in-process; docs/performance.md, "Caching").
_VERSION_BY_SKU = _version_by_sku_sql()


def product_page_version(*, sku: str) -> PageVersion | None:
    """The product's version (one indexed query), or None when no product has this SKU."""
    connection = connections[router.db_for_read(Product)]
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_BY_SKU, [sku])
        row = cursor.fetchone()
    if row is None:
        return None
    product_id, version, changed_at = row
    if isinstance(changed_at, str):  # SQLite's text, when its type converters are off
        changed_at = datetime.fromisoformat(changed_at)
    if timezone.is_naive(changed_at):  # SQLite keeps UTC without an offset (the ORM adds it)
        changed_at = changed_at.replace(tzinfo=UTC)
    return PageVersion(product_id=product_id, version=version, changed_at=changed_at)


@dataclass(frozen=True)
class CatalogueStamp:
    """What an answer spanning the whole catalogue (the ratings feed) is keyed by, and the
    latest change among the rows it serves (its Last-Modified)."""

    key: str
    settled_updated_at: datetime | None


def catalogue_figures_stamp(*, settled_before: datetime) -> CatalogueStamp:
    """One aggregate over every product that changes with every committed change of any
    product's figures, gate state or listing, so a copy keyed by it is never older than the
    last change (docs/performance.md, "The ratings feed from the cache"):

    * the sum of the page versions: every change that alters a product's figures raises its
      version by one in its own transaction, and versions never go down, so the sum rises
      with each such commit (the largest version, or the latest `page_changed_at`, would
      not: a product below the largest, or a transaction that took its moment before
      another committed, changes neither);
    * the number of products and the largest id: a product added or deleted changes one of
      them (ids are never reused), even when its version was 0;
    * the latest `updated_at`: a save outside the services (the shell) stamps it;
    * the latest `updated_at` at or before `settled_before`: a feed leaves out the last
      seconds' rows, and a row that settles into it changes this (a row stamped earlier
      than the latest settled one committed, hence changed the sum, after it settled).

    A scan of the products' table (about 1 ms for 10,000 products), not of their reviews;
    a catalogue of millions would want a counter of its own instead."""
    row = Product.objects.order_by().aggregate(
        products=Count("pk"),
        last_id=Max("pk"),
        versions=Sum("page_version"),
        last_change=Max("page_changed_at"),
        last_update=Max("updated_at"),
        settled=Max("updated_at", filter=Q(updated_at__lte=settled_before)),
    )
    moments = [row[name].timestamp() if row[name] else 0 for name in ("last_change", "last_update", "settled")]
    key = f"{row['products']}.{row['last_id'] or 0}.{row['versions'] or 0}." + ".".join(f"{m:.6f}" for m in moments)
    return CatalogueStamp(key=key, settled_updated_at=row["settled"])
