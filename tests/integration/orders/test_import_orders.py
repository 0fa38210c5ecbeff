"""manage.py import_orders: a good file, each kind of bad row (its line, exit 2, nothing
written), a re-import that changes nothing."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from orders.models import Customer, Order, OrderLine, OrderSource
from tests.commands import command_refused, csv_file
from tests.factories import product_create

pytestmark = pytest.mark.django_db

HEADER = (
    "order_id,customer_email,customer_name,language,sku,quantity,purchased_at,delivered_at,cancelled_at,refunded_at"
)
GOOD = f"""
{HEADER}
SO-1,camille@example.com,Camille,fr,SHOE-1,2,2026-03-02T10:15:00+01:00,2026-03-04T16:40:00+01:00,,
SO-2,alex@example.com,Alex,en,SOCK-1,1,2026-03-03T09:00:00Z,,,
SO-1,camille@example.com,Camille,fr,SOCK-1,3,2026-03-02T10:15:00+01:00,2026-03-04T16:40:00+01:00,,
"""
SO1 = "SO-1,camille@example.com,Camille,fr"
TIMES = "2026-03-02T10:15:00+01:00,2026-03-04T16:40:00+01:00,,"


@pytest.fixture(autouse=True)
def products() -> None:
    product_create(sku="SHOE-1")
    product_create(sku="SOCK-1")


def run(path: Path) -> str:
    err = io.StringIO()
    call_command("import_orders", str(path), stderr=err, verbosity=1)
    return err.getvalue()


def test_a_good_file_is_imported_and_again_changes_nothing(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "orders.csv", GOOD)
    assert "import_orders: 3 rows, 2 orders: 2 added, 0 unchanged" in run(path)
    order = Order.objects.get(order_id="SO-1")
    assert order.source == OrderSource.IMPORT
    assert order.delivered_at == datetime(2026, 3, 4, 15, 40, tzinfo=UTC)
    assert sorted(order.lines.values_list("product__sku", "quantity")) == [("SHOE-1", 2), ("SOCK-1", 3)]
    assert Order.objects.get(order_id="SO-2").status == "placed"
    assert Customer.objects.count() == 2
    updated = list(Order.objects.values_list("updated_at", flat=True))
    assert "import_orders: 3 rows, 2 orders: 0 added, 2 unchanged" in run(path)
    assert list(Order.objects.values_list("updated_at", flat=True)) == updated


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (f"SO 3,a@example.com,A,en,SHOE-1,1,{TIMES}", "order_id: 'SO 3'"),
        (f"SO-3,a@example.com,A,de,SHOE-1,1,{TIMES}", "language: 'de'"),
        (f"SO-3,a@example.com,A,en,SHOE-1,0,{TIMES}", "quantity: '0'"),
        (f"SO-3,a@example.com,A,en,SHOE-1,٣,{TIMES}", "quantity:"),
        (f"SO-3,a@example.com,A,en,SHOE 1,1,{TIMES}", "sku:"),
        (f"SO-3,a@example.com,A,en,NOPE,1,{TIMES}", "sku: no product has the SKU 'NOPE'"),
        ("SO-3,a@example.com,A,en,SHOE-1,1,2026-03-02T10:15:00,,,", "purchased_at: '2026-03-02T10:15:00' is not"),
        ("SO-3,a@example.com,A,en,SHOE-1,1,,,,", "purchased_at: empty is not"),
        ("SO-3,a@example.com,A,en,SHOE-1,1,2026-03-02T10:15:00Z,2026-03-01,,", "delivered_at:"),
        ("SO-3,a@example.com,A,en,SHOE-1,1,2026-03-02T10:15:00Z,2026-03-01T00:00:00Z,,", "delivered_at: Cannot be"),
        (
            "SO-3,a@example.com,A,en,SHOE-1,1,2026-03-02T10:15:00Z,2026-03-03T00:00:00Z,2026-03-04T00:00:00Z,",
            "cancelled_at",
        ),
        (f"SO-3,not-an-address,A,en,SHOE-1,1,{TIMES}", "order SO-3: customer_email: Enter a valid email"),
        # The API's rule, one rule: an internationalised domain is refused here too.
        (f"SO-3,b@ex\u00e4mple.com,A,en,SHOE-1,1,{TIMES}", "order SO-3: customer_email: Enter a valid email"),
        (f"SO-3,a@b.com,zed@example.com,en,SHOE-1,1,{TIMES}", "order SO-3: customer_name: A name, not an email"),
        (f"SO-3,a@example.com,A,en,SHOE-1,1,{TIMES},extra", "the row has 11 fields, the header 10"),
        (f"{SO1},SHOE-1,5,{TIMES}", "order SO-1: product SHOE-1 is already on line 2"),
        (f"SO-1,camille@example.com,Camille,en,SHOE-1,1,{TIMES}", "order SO-1: language differs from its first row"),
    ],
)
def test_a_bad_row_stops_the_import_with_its_line_and_nothing_is_written(
    tmp_path: Path, bad_row: str, reason: str
) -> None:
    path = csv_file(tmp_path / "orders.csv", GOOD + bad_row + "\n")
    error = command_refused("import_orders", str(path))
    assert str(error).startswith(f"{path}, line 5: "), str(error)
    assert reason in str(error)
    assert not Order.objects.exists() and not Customer.objects.exists() and not OrderLine.objects.exists()


def test_an_order_stored_differently_is_refused_with_its_line(tmp_path: Path) -> None:
    run(csv_file(tmp_path / "first.csv", GOOD))
    changed = GOOD.replace("SO-2,alex@example.com,Alex,en,SOCK-1,1", "SO-2,alex@example.com,Alex,en,SOCK-1,4")
    path = csv_file(tmp_path / "second.csv", changed + f"SO-9,z@example.com,Z,en,SHOE-1,1,{TIMES}\n")
    error = command_refused("import_orders", str(path))
    assert str(error).startswith(f"{path}, line 3: order SO-2 is stored already with other content")
    assert not Order.objects.filter(order_id="SO-9").exists()  # nothing of the second file
    assert Order.objects.get(order_id="SO-2").lines.get().quantity == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"order_id,sku\nSO-1,SHOE-1\n", "line 1: missing columns customer_email"),
        (b"", "line 1: the file is empty"),
        (HEADER.encode() + b"\nSO-1,caf\xe9@example.com,C,fr,SHOE-1,1,2026-03-02T10:15:00Z,,,\n", "line 2: not UTF-8"),
    ],
)
def test_a_bad_file_is_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    assert reason in str(command_refused("import_orders", str(path)))
    assert not Order.objects.exists()


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert "no such file" in str(command_refused("import_orders", str(tmp_path / "none.csv")))
