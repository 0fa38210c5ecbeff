"""A long review of a real export round-trips whole: the file, the database, the product
page, the API and the page's JSON-LD all hold the same title and text (issue 12).

The export is written with Python's csv module, as a real one would be: quotes doubled,
fields with commas or line breaks ("\\n" and "\\r\\n") quoted, non-ASCII and "<script>"
left as they are. What is too long to store is refused whole, with the file, line and reason.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from products.models import Product
from reviews.models import STORED_BODY_MAX_LENGTH, STORED_TITLE_MAX_LENGTH, Review, ReviewSource
from tests.commands import command_refused

pytestmark = pytest.mark.django_db

SKU = "LONG-1"
TITLE_LENGTH = 250
TEXT_LENGTH = 20_000
HEADER = ["review_id", "product_id", "rating", "created_at", "title", "text", "author", "language"]

# Every kind of character a real text holds and a careless reader or template breaks on.
TITLE_PIECES = ['Grand "confort", ', "déçu… ", "<script>alert('t')</script> ", "東京 ", "🙂 ", "a & b, "]
TEXT_PIECES = [
    "Très bien, vraiment: « solide » et léger. ",
    'He said "it\'s fine", then "it isn\'t". ',
    "Line one\nline two",
    "\r\nWindows line\r\n",
    '<script>alert("x")</script> & <b>bold</b> ',
    "Straße, façade, naïve, 中文评论, émoji 🙂🏔️. ",
    "\n\nA new paragraph, after a blank line. ",
    "Commas, commas, and more, commas; ",
]


def _filled(pieces: list[str], length: int, *, seed: int) -> str:
    """`length` characters cycling through `pieces` (rotated by `seed`), ending on a letter."""
    out: list[str] = []
    size = 0
    index = seed
    while size < length:
        piece = pieces[index % len(pieces)]
        out.append(piece)
        size += len(piece)
        index += 1
    text = "".join(out)[: length - 1] + "z"
    assert len(text) == length
    return text


def _long_reviews() -> list[dict[str, str]]:
    return [
        {
            "review_id": f"long-{n}",
            "product_id": SKU,
            "rating": str(n + 2),
            "created_at": f"2024-05-0{n + 1}T09:30:00",
            "title": _filled(TITLE_PIECES, TITLE_LENGTH, seed=n),
            "text": _filled(TEXT_PIECES, TEXT_LENGTH, seed=n),
            "author": f"Zoë {n}",
            "language": "fr",
        }
        for n in range(3)
    ]


def _write_export(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _rows_read_back(path: Path) -> list[dict[str, str]]:
    # The file as a CSV reader sees it: proof that the export itself holds the long values.
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


@pytest.fixture
def imported(tmp_path: Path) -> dict[str, dict[str, str]]:
    """The export, imported: its rows by review id, as read back from the file."""
    path = _write_export(tmp_path / "long-reviews.csv", _long_reviews())
    rows = _rows_read_back(path)
    assert [(len(row["title"]), len(row["text"])) for row in rows] == [(TITLE_LENGTH, TEXT_LENGTH)] * 3
    assert all("\r\n" in row["text"] and "\n\n" in row["text"] for row in rows)

    call_command("import_reviews", str(path), create_products=True, verbosity=0, stderr=io.StringIO())

    return {row["review_id"]: row for row in rows}


def test_a_long_review_is_stored_byte_for_byte(imported: dict[str, dict[str, str]]) -> None:
    stored = {review.external_id: review for review in Review.objects.filter(product__sku=SKU)}
    assert set(stored) == set(imported)
    for review_id, row in imported.items():
        review = stored[review_id]
        assert review.source == ReviewSource.IMPORT
        assert review.title == row["title"]
        assert review.body == row["text"]
        assert review.title.encode() == row["title"].encode()
        assert review.body.encode() == row["text"].encode()


def _element_html(page: str, pattern: str) -> str:
    match = re.search(pattern, page, re.S)
    assert match, f"not on the page: {pattern}"
    return match.group(1)


def _text_of_rendered_body(body_html: str) -> str:
    """The text a shopper reads: paragraphs (<p>) apart by a blank line, <br> a line break."""
    paragraphs = re.findall(r"<p>(.*?)</p>", body_html, re.S)
    assert "".join(f"<p>{p}</p>" for p in paragraphs) == re.sub(r"</p>\s*<p>", "</p><p>", body_html.strip())
    return "\n\n".join(html.unescape(p.replace("<br>", "\n")) for p in paragraphs)


def test_the_product_page_shows_the_whole_title_and_text_escaped(
    client: Client, imported: dict[str, dict[str, str]]
) -> None:
    response = client.get(reverse("product_detail", kwargs={"sku": SKU}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page  # every "<script>" of the texts is escaped
    for review in Review.objects.filter(product__sku=SKU):
        row = imported[review.external_id or ""]
        title_html = _element_html(page, rf'<h3 class="review-title" id="review-{review.pk}-title"[^>]*>(.*?)</h3>')
        assert html.unescape(title_html) == row["title"]
        body_html = _element_html(
            page, rf'<article class="review" id="review-{review.pk}".*?<div class="review-body"[^>]*>(.*?)</div>'
        )
        assert "&lt;script&gt;" in body_html
        # The page draws line breaks, so "\r\n" reads as "\n"; nothing else changes.
        assert _text_of_rendered_body(body_html) == row["text"].replace("\r\n", "\n")


def test_the_api_returns_the_whole_title_and_text_byte_for_byte(imported: dict[str, dict[str, str]]) -> None:
    response = APIClient().get(f"/api/v1/products/{SKU}/reviews/")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    by_id = {review.pk: review.external_id for review in Review.objects.filter(product__sku=SKU)}
    assert len(results) == len(imported)
    for result in results:
        row = imported[by_id[result["id"]] or ""]
        assert (result["title"], result["body"]) == (row["title"], row["text"])


def _json_ld(page: str) -> dict[str, Any]:
    block = _element_html(page, r'<script type="application/ld\+json">(.*?)</script>')
    return json.loads(block)  # type: ignore[no-any-return]


def test_the_json_ld_carries_the_whole_title_and_text(client: Client, imported: dict[str, dict[str, str]]) -> None:
    page = client.get(reverse("product_detail", kwargs={"sku": SKU})).content.decode()
    marked_up = _json_ld(page)["review"]
    assert sorted((item["name"], item["reviewBody"]) for item in marked_up) == sorted(
        (row["title"], row["text"]) for row in imported.values()
    )


def _one_review_export(path: Path, *, title: str, text: str) -> Path:
    good = {
        "review_id": "fine",
        "product_id": SKU,
        "rating": "4",
        "created_at": "2024-05-01",
        "title": "Fine",
        "text": "Fine, all things considered.",
        "author": "",
        "language": "",
    }
    return _write_export(path, [good, {**good, "review_id": "too-long", "title": title, "text": text}])


@pytest.mark.parametrize(
    ("field", "title", "text", "limit"),
    [
        ("title", "t" * (STORED_TITLE_MAX_LENGTH + 1), "Long enough text.", r"500"),
        ("text", "Title", "x" * (STORED_BODY_MAX_LENGTH + 1), r"50,?000"),
    ],
)
def test_a_title_or_text_too_long_to_store_is_refused_whole_with_line_and_reason(
    tmp_path: Path, field: str, title: str, text: str, limit: str
) -> None:
    path = _one_review_export(tmp_path / "too-long.csv", title=title, text=text)

    error = command_refused("import_reviews", str(path), "--create-products")

    message = str(error)
    assert message.startswith(f"{path}, line 3: "), message
    reason = message.removeprefix(f"{path}, line 3: ")
    assert field in reason and re.search(limit, reason), reason
    assert not Review.objects.exists()
    assert not Product.objects.exists()


def test_a_title_and_text_of_exactly_the_stored_lengths_import(tmp_path: Path) -> None:
    title, text = "t" * STORED_TITLE_MAX_LENGTH, "x" * STORED_BODY_MAX_LENGTH
    path = _one_review_export(tmp_path / "longest.csv", title=title, text=text)

    call_command("import_reviews", str(path), create_products=True, verbosity=0, stderr=io.StringIO())

    assert Review.objects.get(external_id="too-long").title == title
    assert Review.objects.get(external_id="too-long").body == text
