"""The demo catalogue's headphones & audio."""

from __future__ import annotations

from devtools.demo.catalogue.specs import Noun, ProductSpec

PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "ADR-1250",
        "Audiral Pulse ANC Earbuds",
        "Audiral",
        "headphones",
        "audio",
        Noun("these earbuds", "the earbuds", "ces écouteurs", "les écouteurs"),
        description="True wireless earbuds with active noise cancelling, 6 hours of playback (24 with the "
        "case), IPX4, Bluetooth 5.2.",
        popularity=1.0,
        launched_days_ago=220,
        managed=True,
        scenario="withdrawn_recent",
    ),
    ProductSpec(
        "ADR-1700",
        "Audiral Studio 700 Over-Ear Headphones",
        "Audiral",
        "headphones",
        "audio",
        Noun("these headphones", "the headphones", "ce casque", "le casque"),
        description="Closed-back wireless headphones with 40 mm drivers, 35 hours of battery, a wired "
        "mode and a foldable hard case.",
        popularity=2.0,
        mean=4.4,
    ),
    ProductSpec(
        "ADR-1300",
        "Audiral Sport Run Earbuds",
        "Audiral",
        "headphones",
        "audio",
        Noun("these earbuds", "the earbuds", "ces écouteurs", "les écouteurs"),
        description="Wireless sport earbuds with ear hooks, IPX5 sweat resistance and 8 hours of battery.",
        popularity=1.8,
        mean=4.0,
    ),
    ProductSpec(
        "SNC-2300",
        "Sonance Open 300 Bone Conduction Headphones",
        "Sonance",
        "headphones",
        "audio",
        Noun("these headphones", "the headphones", "ce casque", "le casque"),
        description="Open-ear bone conduction headphones that leave your ears free to hear traffic. "
        "IP67, 8 hours of battery, 29 g.",
        popularity=1.2,
        mean=3.9,
    ),
    ProductSpec(
        "SNC-2100",
        "Sonance Kids Volume-Limited Headphones",
        "Sonance",
        "headphones",
        "audio",
        Noun("these headphones", "the headphones", "ce casque", "le casque"),
        description="Bluetooth on-ear headphones for children with volume limited to 85 dB, 20 hours of "
        "battery, a soft adjustable headband and a cable for the plane.",
        popularity=1.0,
        mean=4.2,
    ),
    ProductSpec(
        "ADR-1100",
        "Audiral Buds 100 Wireless Earphones",
        "Audiral",
        "headphones",
        "audio",
        Noun("these earphones", "the earphones", "ces écouteurs", "les écouteurs"),
        description="Affordable true wireless earphones: 5 hours of playback (20 with the case), "
        "a microphone for calls and three sizes of tips.",
        popularity=1.4,
        mean=3.8,
    ),
    ProductSpec(
        "SNC-2500",
        "Sonance Travel ANC 500 Headphones",
        "Sonance",
        "headphones",
        "audio",
        Noun("these headphones", "the headphones", "ce casque", "le casque"),
        description="Foldable noise-cancelling headphones for travel, 30 hours of battery with ANC on, "
        "an airline adapter and a hard case.",
        popularity=1.5,
        mean=4.3,
    ),
    ProductSpec(
        "ADR-1800",
        "Audiral Swim 8 GB Waterproof Headphones",
        "Audiral",
        "headphones",
        "audio",
        Noun("these headphones", "the headphones", "ce casque", "le casque"),
        description="Waterproof bone conduction headphones with Bluetooth on land and 8 GB of storage "
        "for music in the pool, IP68 to 2 metres.",
        popularity=0.8,
        mean=3.7,
    ),
    ProductSpec(
        "SNC-2200",
        "Sonance Neckband Sport Earphones",
        "Sonance",
        "headphones",
        "audio",
        Noun("these earphones", "the earphones", "ces écouteurs", "les écouteurs"),
        description="Wireless neckband earphones with magnetic earbuds, 14 hours of battery and "
        "fast charging (10 minutes for 2 hours).",
        popularity=0.9,
        mean=4.1,
    ),
    ProductSpec(
        "ADR-1600",
        "Audiral Gaming Headset 600",
        "Audiral",
        "headphones",
        "audio",
        Noun("this headset", "the headset", "ce casque", "le casque"),
        description="A wireless gaming headset (2.4 GHz dongle and Bluetooth) with a detachable boom "
        "microphone, 50 mm drivers and memory foam ear cushions.",
        popularity=1.1,
        mean=4.0,
    ),
)
