"""The invitation figures (desk.invitation_figures) against a hand count: on the key
figures page and CSV, on the product page, and through GET /api/v1/invitation-figures/.

Europe/Paris. Tent (category Tents, Julia) and Bag (category Bags, Otto). Each order's
invitation lists its lines; what each line became is set by hand:

* E, 5 March: tent (nothing);
* A, 10 March: tent (opened, reviewed), bag (opened); its reminder on 17 March: bag;
* D, 20 March: tent (opened), bag (reviewed by a verified account: no link opened);
* C, 28 February 23:30: tent (opened, reviewed): February;
* B, 1 April 00:30 (31 March 22:30 UTC): tent: April in Paris.

March: Tent 3 invited, 2 opened, 1 written, 33.3%; Bag 2, 1, 1, 50.0%, 1 reminder;
all 5, 3, 2, 40.0%, 1 reminder. February to April by month: February 1, 1, 1, 100.0%;
March as above; April 1, 0, 0, 0.0%; all 7, 4, 3, 42.9%, 1 reminder.
Reviews published in March: Tent 2 (1 verified: 50.0%), Bag 1 (verified: 100.0%).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import SHOPPER
from apikeys.services import api_key_create
from orders.models import Invitation, InvitationKind, Order, OrderLine
from products.models import Product
from tests.integration.desk.factories import PARIS, add_review, make_category, make_product
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

MARCH = {"group": "category", "period": "custom", "start": "2026-03-01", "end": "2026-03-31"}
API = "/api/v1/invitation-figures/"
COLUMNS = ["invitations_sent", "links_opened", "reviews_written", "response_rate_percent", "reminders_sent"]


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


@dataclass
class Shop:
    tent: Product
    bag: Product


def invite(
    products: Sequence[Product], sent_at: datetime, *, opened: Sequence[Product] = (), reviewed: Sequence[Product] = ()
) -> Order:
    """An order of ``products`` whose invitation, sent at ``sent_at``, lists every line."""
    order = order_create(products=products, purchased_at=sent_at - timedelta(days=10))
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=sent_at
    )
    invitation.lines.set(order.lines.all())
    order.lines.filter(product__in=opened).update(link_opened_at=sent_at + timedelta(hours=3))
    order.lines.filter(product__in=reviewed).update(reviewed_at=sent_at + timedelta(days=1))
    return order


def remind(order: Order, products: Sequence[Product], sent_at: datetime) -> None:
    reminder = Invitation.objects.create(
        order=order, kind=InvitationKind.REMINDER, customer=order.customer, sent_at=sent_at
    )
    reminder.lines.set(OrderLine.objects.filter(order=order, product__in=products))


@pytest.fixture
def shop(manager: User, other_manager: User) -> Shop:
    tent = make_product(name="Tent", sku="TENT-1", managers=[manager], category=make_category("Tents"))
    bag = make_product(name="Bag", sku="BAG-1", managers=[other_manager], category=make_category("Bags"))
    invite([tent], at(3, 5, 10))
    order_a = invite([tent, bag], at(3, 10, 10), opened=[tent, bag], reviewed=[tent])
    remind(order_a, [bag], at(3, 17, 10))
    invite([tent, bag], at(3, 20, 10), opened=[tent], reviewed=[bag])
    invite([tent], at(2, 28, 23, 30), opened=[tent], reviewed=[tent])
    invite([tent], at(4, 1, 0, 30))
    add_review(tent, rating=5, published_at=at(3, 12, 9), verified=True)
    add_review(tent, rating=2, published_at=at(3, 13, 9))
    add_review(bag, rating=4, published_at=at(3, 22, 9), verified=True)
    return Shop(tent=tent, bag=bag)


# --- The key figures page and its CSV -------------------------------------------------


def csv_rows(client: Client, **query: str) -> dict[str, dict[str, str]]:
    response = client.get(reverse("desk:kpis_csv"), {**MARCH, **query})
    assert response.status_code == 200
    header, *lines = response.content.decode().splitlines()
    names = header.split(",")
    assert names[18:23] == COLUMNS  # issue 16's columns come after them
    rows = [dict(zip(names, line.split(","), strict=True)) for line in lines]
    return {row["group"]: {name: row[name] for name in [*COLUMNS, "verified_percent"]} for row in rows}


def figures(sent: int, opened: int, written: int, rate: str, reminders: int, verified: str) -> dict[str, str]:
    values = [sent, opened, written, rate, reminders]
    return {**{name: str(value) for name, value in zip(COLUMNS, values, strict=True)}, "verified_percent": verified}


def test_the_csv_counts_invitations_per_category(client: Client, shop: Shop, director: User) -> None:
    client.force_login(director)
    # Marc reads the desk in French: the total's label is French.
    assert csv_rows(client) == {
        "Bags": figures(2, 1, 1, "50.0", 1, "100.0"),
        "Tents": figures(3, 2, 1, "33.3", 0, "50.0"),
        "Tous les produits": figures(5, 3, 2, "40.0", 1, "66.7"),
    }


def test_the_csv_counts_invitations_per_product(client: Client, shop: Shop, director: User) -> None:
    client.force_login(director)
    assert csv_rows(client, group="product") == {
        "Bag (BAG-1)": figures(2, 1, 1, "50.0", 1, "100.0"),
        "Tent (TENT-1)": figures(3, 2, 1, "33.3", 0, "50.0"),
        "Tous les produits": figures(5, 3, 2, "40.0", 1, "66.7"),
    }


def test_the_csv_counts_invitations_in_the_month_they_were_sent(client: Client, shop: Shop, director: User) -> None:
    client.force_login(director)
    director.language = "en"
    director.save(update_fields=["language"])
    rows = csv_rows(client, group="month", start="2026-02-01", end="2026-04-30")
    assert rows == {
        "February 2026": figures(1, 1, 1, "100.0", 0, ""),
        "March 2026": figures(5, 3, 2, "40.0", 1, "66.7"),
        "April 2026": figures(1, 0, 0, "0.0", 0, ""),
        "All products": figures(7, 4, 3, "42.9", 1, "66.7"),
    }


def test_a_manager_counts_only_their_products(client: Client, shop: Shop, manager: User) -> None:
    client.force_login(manager)
    assert csv_rows(client) == {
        "Tents": figures(3, 2, 1, "33.3", 0, "50.0"),
        "All my products": figures(3, 2, 1, "33.3", 0, "50.0"),
    }
    assert csv_rows(client, group="manager") == {
        "Julia": figures(3, 2, 1, "33.3", 0, "50.0"),
        "All my products": figures(3, 2, 1, "33.3", 0, "50.0"),
    }
    assert csv_rows(client, group="product") == {
        "Tent (TENT-1)": figures(3, 2, 1, "33.3", 0, "50.0"),
        "All my products": figures(3, 2, 1, "33.3", 0, "50.0"),
    }


def test_nothing_invited_has_no_response_rate(client: Client, manager: User) -> None:
    product = make_product(managers=[manager], category=make_category("Stoves"))
    add_review(product, rating=4, published_at=at(3, 3, 9))
    client.force_login(manager)
    assert csv_rows(client)["Stoves"] == figures(0, 0, 0, "", 0, "0.0")


def test_the_page_has_an_invitations_table(client: Client, shop: Shop, manager: User) -> None:
    client.force_login(manager)
    response = client.get(reverse("desk:kpis"), MARCH)
    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index('<h2 id="invitations">') :]
    assert '<caption id="invitations-caption">' in section
    assert '<th scope="col">Response rate</th>' in section
    assert '<th scope="row">Tents</th>\n    <td>3</td>\n    <td>2</td>\n    <td>1</td>\n    <td>33.3%</td>' in section
    total = response.context["rows"][-1]
    assert (total.invitations.invited, str(total.invitations.response_rate)) == (3, "33.3")


def test_the_page_by_product_has_a_row_per_product_in_both_tables(client: Client, shop: Shop, director: User) -> None:
    director.language = "en"
    director.save(update_fields=["language"])
    client.force_login(director)
    response = client.get(reverse("desk:kpis"), {**MARCH, "group": "product"})
    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index('<h2 id="invitations">') :]
    # Three tables: the key figures, customer care's (issue 16), the invitations.
    assert section.count('<th scope="col">Product</th>') == 1 and page.count('<th scope="col">Product</th>') == 3
    cells = "\n    ".join(["<td>2</td>", "<td>1</td>", "<td>1</td>", "<td>50.0%</td>", "<td>1</td>", "<td>100.0%</td>"])
    assert f'<th scope="row">Bag (BAG-1)</th>\n    {cells}' in section
    assert [row.label for row in response.context["rows"]] == ["Bag (BAG-1)", "Tent (TENT-1)", "All products"]


def test_the_page_makes_as_many_queries_for_many_products_as_for_one(
    client: Client, manager: User, director: User
) -> None:
    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            for group in ("category", "product", "month"):
                assert client.get(reverse("desk:kpis"), {**MARCH, "group": group}).status_code == 200
            assert client.get(API, {"group": "product", "from": "2026-03-01", "to": "2026-03-31"}).status_code == 200
        # The cache's own queries (throttles, in the database cache when no Redis) vary with
        # the clock: an expired entry costs a DELETE.
        return [query["sql"][:80] for query in captured.captured_queries if "reviewgate_cache" not in query["sql"]]

    def products(n: int) -> None:
        for _ in range(n):
            product = make_product(managers=[manager], category=make_category())
            invite([product], at(3, 9, 10), opened=[product], reviewed=[product])
            add_review(product, rating=4, published_at=at(3, 11, 9), verified=True)

    client.force_login(director)
    products(1)
    queries()  # the first requests also load what is then cached (the session, the policy)
    few = queries()
    products(6)
    assert len(queries()) == len(few), (queries(), few)


# --- The product page -------------------------------------------------------------------


def test_the_product_page_shows_its_invitation_figures_of_the_last_12_months(client: Client, manager: User) -> None:
    product = make_product(managers=[manager])
    now = timezone.now()
    invite([product], now - timedelta(days=3), opened=[product], reviewed=[product])
    order = invite([product], now - timedelta(days=2), opened=[product])
    remind(order, [product], now - timedelta(days=1))
    invite([product], now - timedelta(days=2))
    invite([product], now - timedelta(days=400), reviewed=[product])  # over 12 months ago
    add_review(product, rating=5, days_ago=2, verified=True)
    client.force_login(manager)
    response = client.get(reverse("desk:product_reviews", args=[product.sku]))
    assert response.status_code == 200
    total = response.context["invitation_rows"][-1]
    counts = total.invitations
    assert total.label == "Last 12 months"
    assert (counts.invited, counts.opened, counts.written, counts.reminders) == (3, 2, 1, 1)
    assert str(counts.response_rate) == "33.3"
    page = response.content.decode()
    assert '<h2 id="invitations-heading">Review invitations</h2>' in page
    cells = "\n    ".join(["<td>3</td>", "<td>2</td>", "<td>1</td>", "<td>33.3%</td>"])
    assert f'<th scope="row">Last 12 months</th>\n    {cells}' in page
    assert "Verified purchases: 100.0% of the 1 review published in the last 12 months." in page


def test_a_product_never_invited_says_so(client: Client, manager: User) -> None:
    product = make_product(managers=[manager])
    client.force_login(manager)
    page = client.get(reverse("desk:product_reviews", args=[product.sku])).content.decode()
    assert "No review invitation was sent for this product in the last 12 months." in page


# --- The API ------------------------------------------------------------------------------


def api_rows(client: APIClient | Client, **query: str) -> list[dict[str, object]]:
    response = client.get(API, {"from": "2026-03-01", "to": "2026-03-31", **query})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return list(body["results"])


def api_figures(
    key: str, label: str, counts: tuple[int, int, int, float | None, int], reviews: tuple[int, int, float | None]
) -> dict[str, object]:
    return {
        "key": key,
        "label": label,
        **dict(zip(COLUMNS, counts, strict=True)),
        "reviews": reviews[0],
        "verified_reviews": reviews[1],
        "verified_percent": reviews[2],
    }


def test_the_api_gives_the_figures_per_product_category_and_month(client: Client, shop: Shop, director: User) -> None:
    client.force_login(director)
    assert api_rows(client, group="product") == [
        api_figures(shop.bag.sku, "Bag", (2, 1, 1, 50.0, 1), (1, 1, 100.0)),
        api_figures(shop.tent.sku, "Tent", (3, 2, 1, 33.3, 0), (2, 1, 50.0)),
    ]
    assert api_rows(client) == api_rows(client, group="product")  # product is the default
    assert api_rows(client, group="category") == [
        api_figures(str(shop.bag.category_id), "Bags", (2, 1, 1, 50.0, 1), (1, 1, 100.0)),
        api_figures(str(shop.tent.category_id), "Tents", (3, 2, 1, 33.3, 0), (2, 1, 50.0)),
    ]
    assert api_rows(client, group="month", **{"from": "2026-02-01", "to": "2026-04-30"}) == [
        api_figures("2026-02", "2026-02", (1, 1, 1, 100.0, 0), (0, 0, None)),
        api_figures("2026-03", "2026-03", (5, 3, 2, 40.0, 1), (3, 2, 66.7)),
        api_figures("2026-04", "2026-04", (1, 0, 0, 0.0, 0), (0, 0, None)),
    ]


def test_the_api_pages_its_rows(client: Client, shop: Shop, director: User) -> None:
    client.force_login(director)
    body = client.get(API, {"from": "2026-03-01", "to": "2026-03-31", "page_size": "1", "page": "2"}).json()
    assert (body["count"], [row["label"] for row in body["results"]], body["next"]) == (2, ["Tent"], None)


def test_the_api_gives_a_manager_and_their_read_key_their_products_only(
    shop: Shop, manager: User, make_user: Callable[..., User]
) -> None:
    tent = [api_figures(shop.tent.sku, "Tent", (3, 2, 1, 33.3, 0), (2, 1, 50.0))]
    session = APIClient()
    session.force_login(manager)
    assert api_rows(session) == tent
    keyed = APIClient()
    keyed.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_create(name='figures', owner=manager).plaintext}")
    assert api_rows(keyed) == tent


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"group": "manager"}, "group"),
        ({"from": "2026-3-01"}, "from"),
        ({"to": "01/03/2026"}, "to"),
        ({"from": "2026-04-01", "to": "2026-03-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-03-01"}, "from"),
        ({"to": ""}, "to"),  # sent empty: not a day (the schema's date), not "absent"
        ({"group": ""}, "group"),
        # Days whose midnights Python cannot hold in every time zone: a 400, never a 500.
        ({"to": "0001-01-01"}, "to"),
        ({"from": "9999-12-30", "to": "9999-12-31"}, "to"),
    ],
)
def test_the_api_refuses_a_bad_query_naming_the_field(
    client: Client, director: User, query: dict[str, str], field: str
) -> None:
    client.force_login(director)
    response = client.get(API, query)
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid" and list(body["error"]["fields"]) == [field]


def test_the_api_is_for_managers_and_directors_and_keys_that_read(
    shop: Shop, manager: User, make_user: Callable[..., User]
) -> None:
    anonymous = APIClient()
    assert anonymous.get(API).status_code == 401
    shopper = APIClient()
    shopper.force_login(make_user(SHOPPER))
    assert shopper.get(API).status_code == 403
    orders_only = APIClient()
    key = api_key_create(name="shop", owner=manager, scopes=["orders"]).plaintext
    orders_only.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert orders_only.get(API).status_code == 403
