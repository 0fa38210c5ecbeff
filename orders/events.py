"""What orders announces to the apps above it (core.events; docs/architecture.md).

orders may not import customer care; care learns that orders lose their customer by
subscribing to ``orders_anonymising`` in its ``AppConfig.ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.events import Topic


class AnonymisingReason(StrEnum):
    """Why the orders lose their customer: a subscriber may keep for retention what it
    must delete on erasure (reviews keeps a guest's photos with the review on retention,
    and deletes them when the customer asked to be erased)."""

    # The customer asked to be erased (GDPR Art. 17): customers_erase, the admin action,
    # ``erase_customer``.
    ERASURE = "erasure"
    # The orders passed ORDER_RETENTION_DAYS (orders_anonymise_expired, daily).
    RETENTION = "retention"


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
    reason: AnonymisingReason

    @property
    def is_erasure(self) -> bool:
        return self.reason is AnonymisingReason.ERASURE


# care subscribes: the customer's words in care cases, care's messages quoting them, the
# delivery errors of their care and thanks emails; their open cases close as not reachable.
# desk empties the delivery errors of its decision emails to the guest; reviews deletes the
# guest's review photos on erasure only (docs/architecture.md lists the subscribers).
orders_anonymising: Topic[OrdersAnonymising] = Topic("orders.orders_anonymising")
