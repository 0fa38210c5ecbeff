"""The demo catalogue: six categories of own-brand products, and the few that go wrong.

Everything here is fixed data; `devtools.demo.plan` turns it into dated reviews. A product's
`scenario` names the part it plays for the quality gate (see `devtools.demo.scenarios`).
One module per category holds its products; `PRODUCTS` keeps them in the catalogue's
order (running shoes first), which the seeded plan depends on.
"""

from __future__ import annotations

from devtools.demo.catalogue import audio, backpacks, bikes, camping, kitchen, running_shoes
from devtools.demo.catalogue.specs import CategorySpec, Noun, ProductSpec

__all__ = ["CATEGORIES", "PRODUCTS", "CategorySpec", "Noun", "ProductSpec"]

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "running-shoes",
        "Running shoes",
        (1.5, 1.2, 1.3, 1.3, 1.1, 1.0, 0.8, 0.8, 1.3, 1.1, 0.9, 0.8),
        name_fr="Chaussures de running",
    ),
    CategorySpec(
        "tents-camping",
        "Tents & camping",
        (0.3, 0.3, 0.6, 1.0, 1.5, 2.0, 2.2, 2.0, 0.9, 0.5, 0.3, 0.4),
        name_fr="Tentes et camping",
    ),
    CategorySpec(
        "bikes-accessories",
        "Bikes & accessories",
        (0.6, 0.7, 1.1, 1.4, 1.5, 1.4, 1.2, 1.0, 1.2, 1.0, 0.8, 0.8),
        name_fr="Vélos et accessoires",
    ),
    CategorySpec("kitchen", "Kitchen", (1.0, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.8, 0.9, 1.1, 1.6, 2.0), name_fr="Cuisine"),
    CategorySpec(
        "headphones",
        "Headphones & audio",
        (1.0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 1.0, 1.1, 1.8, 2.0),
        name_fr="Casques et audio",
    ),
    CategorySpec(
        "hiking-backpacks",
        "Hiking backpacks",
        (0.5, 0.5, 0.7, 1.0, 1.3, 1.6, 1.8, 1.6, 1.1, 0.8, 0.6, 0.8),
        name_fr="Sacs de randonnée",
    ),
)

PRODUCTS: tuple[ProductSpec, ...] = (
    *running_shoes.PRODUCTS,
    *camping.PRODUCTS,
    *bikes.PRODUCTS,
    *kitchen.PRODUCTS,
    *audio.PRODUCTS,
    *backpacks.PRODUCTS,
)
