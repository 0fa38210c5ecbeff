"""The SKU rule (core.skus) at its edges, and everything that applies it the same way: the
model's validator, the URL converter, the API's lookup patterns and sku_reverse."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from core.skus import SKU_URL_PATTERN, is_valid_sku, sku_problem
from core.url_converters import sku_reverse
from products.api.views import ProductViewSet
from products.models import validate_sku

# The edges of what the rule accepts: one character, the longest, punctuation after the first.
VALID_SKUS = ["0", "A", "a" * 64, "a.b", "a..", "a-", "a_b", "A.-_9"]
# And of what it refuses, each for one reason.
INVALID_SKUS = ["", ".a", "-a", "a/b", "a b", "a\n", "a" * 65, "é", "a%2F"]


@pytest.mark.parametrize("sku", VALID_SKUS)
def test_edge_case_sku_is_valid(sku: str) -> None:
    assert is_valid_sku(sku)
    assert sku_problem(sku) is None


@pytest.mark.parametrize("sku", INVALID_SKUS)
def test_edge_case_sku_is_invalid_with_a_reason(sku: str) -> None:
    assert not is_valid_sku(sku)
    assert sku_problem(sku)


def test_the_reasons_say_what_is_wrong() -> None:
    assert sku_problem("") == "the SKU is empty"
    assert sku_problem("a" * 65) == "the SKU is 65 characters long, more than 64"
    assert sku_problem("a/b") == "'a/b' is not a valid SKU: " + (
        "a SKU is 1 to 64 characters: ASCII letters, digits, '.', '_' and '-', starting with a letter or digit"
    )


@pytest.mark.parametrize("sku", VALID_SKUS)
def test_the_model_validator_accepts_a_valid_sku(sku: str) -> None:
    validate_sku(sku)  # no exception


@pytest.mark.parametrize("sku", INVALID_SKUS)
def test_the_model_validator_refuses_an_invalid_sku_with_the_rule(sku: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_sku(sku)
    [message] = caught.value.messages
    assert message == (
        f"“{sku[:80]}” is not a valid SKU: a SKU is 1 to 64 characters: ASCII letters, digits, “.”, “_” and “-”, "
        "starting with a letter or digit."
    )
    assert caught.value.error_list[0].code == "invalid_sku"


@pytest.mark.parametrize("sku", VALID_SKUS)
@pytest.mark.parametrize(
    ("template", "url_name"),
    [
        ("/products/{}/", "product_detail"),
        ("/products/{}/review/", "review_create"),
        ("/desk/products/{}/reviews/", "desk:product_reviews"),
        ("/api/v1/products/{}/", "product-detail"),
        ("/api/v1/products/{}/reviews/", "product-review-list"),
        ("/api/v1/products/{}/improvements/", "product-improvement-list"),
    ],
)
def test_every_url_taking_a_sku_resolves_and_reverses_each_valid_sku(sku: str, template: str, url_name: str) -> None:
    match = resolve(template.format(sku))
    assert match.view_name == url_name
    assert sku in match.kwargs.values()
    kwarg = "product_sku" if url_name.startswith(("product-review", "product-improvement")) else "sku"
    assert reverse(url_name, kwargs={kwarg: sku}) == template.format(sku)


# What a browser sends for each invalid SKU: "a%2F" stays the text "a%2F" (its "%" is
# refused); "a/b" is two segments; a space and a newline are percent-encoded, then decoded.
INVALID_SKU_PATHS = ["", ".a", "-a", "a/b", "a b", "a\n", "a" * 65, "é", "a%2F"]


@pytest.mark.parametrize("sku", INVALID_SKU_PATHS)
@pytest.mark.parametrize(
    "template",
    [
        "/products/{}/",
        "/products/{}/review/",
        "/desk/products/{}/reviews/",
        "/api/v1/products/{}/",
        "/api/v1/products/{}/reviews/",
        "/api/v1/products/{}/improvements/",
    ],
)
def test_no_url_taking_a_sku_matches_an_invalid_one(sku: str, template: str) -> None:
    path = template.format(sku)
    try:
        match = resolve(path)
    except Resolver404:
        return
    # Only the API's catch-all (its JSON 404) may answer such a path.
    assert match.func.__name__ == "api_not_found", (path, match.view_name)


@pytest.mark.parametrize("sku", INVALID_SKUS)
def test_reversing_an_invalid_sku_raises_but_sku_reverse_answers_none(sku: str) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("product_detail", kwargs={"sku": sku})
    assert sku_reverse("product_detail", sku=sku) is None
    assert sku_reverse("desk:product_reviews", sku=sku) is None


def test_sku_reverse_of_a_valid_sku_is_its_path() -> None:
    assert sku_reverse("product_detail", sku="a.b") == "/products/a.b/"
    assert sku_reverse("desk:product_reviews", sku="A.-_9") == "/desk/products/A.-_9/reviews/"


def test_the_api_matches_skus_by_the_rule_not_drfs_default() -> None:
    assert ProductViewSet.lookup_value_regex == SKU_URL_PATTERN
    # DRF's default lookup ("[^/.]+") would refuse "a.b", a valid SKU.
    assert re.fullmatch(ProductViewSet.lookup_value_regex, "a.b")
