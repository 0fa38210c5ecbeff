"""The demo catalogue's hiking backpacks."""

from __future__ import annotations

from devtools.demo.catalogue.specs import Noun, ProductSpec

PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "SNT-3400",
        "Sentier Trek 40 L Backpack",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this backpack", "the backpack", "ce sac à dos", "le sac"),
        description="A 40-litre trekking pack with an adjustable back length, ventilated mesh back, "
        "hip-belt pockets and an integrated rain cover.",
        popularity=1.9,
        mean=4.3,
    ),
    ProductSpec(
        "SNT-3200",
        "Sentier Day Hike 20 L",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this backpack", "the backpack", "ce sac à dos", "le sac"),
        description="A 20-litre day pack with a hydration sleeve, side bottle pockets and a padded back.",
        popularity=2.2,
        mean=4.2,
    ),
    ProductSpec(
        "APR-6070",
        "Alpenrand Summit 60+10 L Trekking Pack",
        "Alpenrand",
        "hiking-backpacks",
        "backpack",
        Noun("this backpack", "the backpack", "ce sac à dos", "le sac"),
        description="A 60+10 litre pack for multi-day treks: aluminium frame, load lifters, a separate "
        "sleeping-bag compartment and a front zip access.",
        popularity=1.1,
        mean=4.4,
    ),
    ProductSpec(
        "SNT-3100",
        "Sentier Hydration Pack 10 L",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this pack", "the pack", "ce sac", "le sac"),
        description="A 10-litre pack with a 2-litre bladder for trail running and mountain biking, "
        "with chest straps and a helmet holder.",
        popularity=1.1,
        mean=3.9,
    ),
    ProductSpec(
        "SNT-3450",
        "Sentier Trek 50 L Women's Backpack",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this backpack", "the backpack", "ce sac à dos", "le sac"),
        description="A 50-litre trekking pack shaped for women: shorter back, contoured shoulder straps "
        "and a conical hip belt.",
        popularity=1.0,
        mean=4.1,
    ),
    ProductSpec(
        "SNT-3010",
        "Sentier Kids Hiking Backpack 10 L",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this backpack", "the backpack", "ce sac à dos", "le sac"),
        description="A 10-litre backpack for children aged 5 to 10 with a whistle on the chest strap "
        "and reflective piping.",
        popularity=0.8,
        mean=4.3,
    ),
    ProductSpec(
        "APR-6050",
        "Alpenrand Travel 50 L Carry-On",
        "Alpenrand",
        "hiking-backpacks",
        "backpack",
        Noun("this backpack", "the backpack", "ce sac à dos", "le sac"),
        description="A 50-litre travel pack that opens like a suitcase, within most cabin-bag limits, "
        "with a stowable harness.",
        popularity=1.2,
        mean=4.1,
    ),
    ProductSpec(
        "SNT-3015",
        "Sentier Foldable Daypack 15 L",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this daypack", "the daypack", "ce sac", "le sac"),
        description="A 15-litre daypack that folds into its own pocket, 120 g.",
        popularity=1.0,
        mean=3.8,
    ),
    ProductSpec(
        "APR-6080",
        "Alpenrand Expedition Duffel 70 L",
        "Alpenrand",
        "hiking-backpacks",
        "backpack",
        Noun("this duffel", "the duffel", "ce sac", "le sac"),
        description="A 70-litre waterproof duffel in coated fabric with backpack straps, a wide U-shaped "
        "zip and compression straps.",
        popularity=0.7,
        mean=4.3,
        launched_days_ago=420,
    ),
    ProductSpec(
        "SNT-3003",
        "Sentier Hip Pack 3 L",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this hip pack", "the hip pack", "cette banane", "la banane"),
        description="A 3-litre hip pack with two bottle holders and a phone pocket, for short hikes and city days.",
        popularity=0.9,
        mean=4.0,
    ),
)
