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
        name_fr="Écouteurs à réduction de bruit Audiral Pulse",
        description_fr="Des écouteurs sans fil avec réduction de bruit active, 6 heures d'écoute (24 avec le "
        "boîtier), IPX4, Bluetooth 5.2.",
        popularity=1.0,
        launched_days_ago=220,
        managed=True,
        scenario="withdrawn_recent",
        traits=frozenset({"commute", "mic", "touch"}),
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
        name_fr="Casque circum-auriculaire Audiral Studio 700",
        description_fr="Un casque sans fil fermé avec haut-parleurs de 40 mm, 35 heures d'autonomie, un mode "
        "filaire et un étui rigide pliable.",
        popularity=2.0,
        mean=4.4,
        traits=frozenset({"commute", "headband", "mic"}),
    ),
    ProductSpec(
        "ADR-1300",
        "Audiral Sport Run Earbuds",
        "Audiral",
        "headphones",
        "audio",
        Noun("these earbuds", "the earbuds", "ces écouteurs", "les écouteurs"),
        description="Wireless sport earbuds with ear hooks, IPX5 sweat resistance and 8 hours of battery.",
        name_fr="Écouteurs de sport Audiral Sport Run",
        description_fr="Des écouteurs de sport sans fil avec crochets d'oreille, résistants à la transpiration "
        "(IPX5), 8 heures d'autonomie.",
        popularity=1.8,
        mean=4.0,
        traits=frozenset({"sport", "touch"}),
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
        name_fr="Casque à conduction osseuse Sonance Open 300",
        description_fr="Un casque à conduction osseuse qui laisse les oreilles libres pour entendre la "
        "circulation. IP67, 8 heures d'autonomie, 29 g.",
        popularity=1.2,
        mean=3.9,
        traits=frozenset({"commute", "sport"}),
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
        name_fr="Casque enfant à volume limité Sonance Kids",
        description_fr="Un casque supra-auriculaire Bluetooth pour enfants, volume limité à 85 dB, 20 heures "
        "d'autonomie, arceau souple réglable et câble pour l'avion.",
        popularity=1.0,
        mean=4.2,
        traits=frozenset({"headband"}),
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
        name_fr="Écouteurs sans fil Audiral Buds 100",
        description_fr="Des écouteurs sans fil abordables : 5 heures d'écoute (20 avec le boîtier), un micro "
        "pour les appels et trois tailles d'embouts.",
        popularity=1.4,
        mean=3.8,
        traits=frozenset({"commute", "mic", "touch"}),
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
        name_fr="Casque de voyage à réduction de bruit Sonance Travel 500",
        description_fr="Un casque pliable à réduction de bruit pour le voyage, 30 heures d'autonomie avec la "
        "réduction de bruit, un adaptateur avion et un étui rigide.",
        popularity=1.5,
        mean=4.3,
        traits=frozenset({"commute", "headband", "mic"}),
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
        name_fr="Casque étanche Audiral Swim 8 Go",
        description_fr="Un casque étanche à conduction osseuse, Bluetooth sur la terre ferme et 8 Go de mémoire "
        "pour la musique à la piscine, IP68 jusqu'à 2 mètres.",
        popularity=0.8,
        mean=3.7,
        traits=frozenset({"sport", "swim"}),
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
        name_fr="Écouteurs de sport tour de cou Sonance",
        description_fr="Des écouteurs sans fil tour de cou aux embouts aimantés, 14 heures d'autonomie et "
        "charge rapide (10 minutes pour 2 heures).",
        popularity=0.9,
        mean=4.1,
        traits=frozenset({"commute", "mic", "sport"}),
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
        name_fr="Casque gaming Audiral 600",
        description_fr="Un casque gaming sans fil (dongle 2,4 GHz et Bluetooth) avec micro perche amovible, "
        "haut-parleurs de 50 mm et coussinets à mémoire de forme.",
        popularity=1.1,
        mean=4.0,
        traits=frozenset({"gaming", "headband", "mic"}),
    ),
)
