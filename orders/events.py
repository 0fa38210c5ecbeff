"""What orders announces to the apps above it (core.events; docs/architecture.md).

orders may not import customer care; care learns that orders lose their customer by
subscribing to ``orders_anonymising`` in its ``AppConfig.ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.events import Topic


@dataclass(frozen=True)
class OrdersAnonymising:
    """These orders are losing their customer at ``at``: the customer is erased
    (orders.services.customers_erase: the admin action, ``erase_customer``) or the orders
    passed ORDER_RETENTION_DAYS (orders.services.orders_anonymise_expired). Published inside
    the transaction, while the orders still name their customer (the one link from a guest's
    review to its customer): a subscriber erases what it holds of theirs now; after the
    publication the link is gone for good."""

    order_ids: tuple[int, ...]
    at: datetime


# care subscribes: the customer's words in care cases, care's messages quoting them, the
# delivery errors of their care and thanks emails; their open cases close as not reachable.
orders_anonymising: Topic[OrdersAnonymising] = Topic("orders.orders_anonymising")
