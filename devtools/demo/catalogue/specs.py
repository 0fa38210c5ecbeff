"""The shape of the demo catalogue's data: a category, a product, and the nouns that name it."""

from __future__ import annotations

from dataclasses import dataclass

from devtools.demo.typography import french


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    # Relative review volume by calendar month (January first): tents sell in summer,
    # headphones before Christmas.
    season: tuple[float, ...]
    name_fr: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name_fr", french(self.name_fr))  # typeset, as the site's French


@dataclass(frozen=True)
class Noun:
    """How reviews name the product: "these shoes" / "the shoes", "ces chaussures" / "les chaussures"."""

    this_en: str
    the_en: str
    this_fr: str
    the_fr: str


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    brand: str
    category: str
    kind: str
    noun: Noun
    description: str
    # The French catalogue's texts (products/translation.py); English is `name`, `description`.
    name_fr: str
    description_fr: str
    # Relative review volume, and the mean rating customers give it (normal products).
    popularity: float = 1.0
    mean: float = 4.1
    # The first review is at most this many days before the seeding day.
    launched_days_ago: int = 540
    # Managed by the demo product manager (every product with a scenario is).
    managed: bool = False
    scenario: str = ""
    # What the product has or does, so that its reviews say only what fits it: a "[noisy]"
    # fragment of devtools.demo.texts (a kettle's "louder than I expected") is for a product
    # with the trait "noisy", never for a lunch box.
    traits: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # The French texts typeset as the site's French strings are (devtools.demo.typography).
        object.__setattr__(self, "name_fr", french(self.name_fr))
        object.__setattr__(self, "description_fr", french(self.description_fr))
