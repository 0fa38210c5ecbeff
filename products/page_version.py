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
from django.db.models import F
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
