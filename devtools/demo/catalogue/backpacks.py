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
        name_fr="Sac à dos de trek Sentier 40 L",
        description_fr="Un sac de trek de 40 litres avec longueur de dos réglable, dos ventilé en mesh, poches "
        "sur la ceinture et housse de pluie intégrée.",
        popularity=1.9,
        mean=4.3,
        traits=frozenset({"frame", "hiking", "hip_belt", "straps", "trek", "ventilated"}),
    ),
    ProductSpec(
        "SNT-3200",
        "Sentier Day Hike 20 L",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this backpack", "the backpack", "ce sac à dos", "le sac"),
        description="A 20-litre day pack with a hydration sleeve, side bottle pockets and a padded back.",
        name_fr="Sac de randonnée à la journée Sentier 20 L",
        description_fr="Un sac de 20 litres pour la journée, avec poche à eau, poches latérales pour gourdes et "
        "dos rembourré.",
        popularity=2.2,
        mean=4.2,
        traits=frozenset({"hiking", "straps"}),
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
        name_fr="Sac de trek Alpenrand Summit 60+10 L",
        description_fr="Un sac de 60+10 litres pour les treks de plusieurs jours : armature en aluminium, "
        "rappels de charge, compartiment séparé pour le sac de couchage et accès frontal zippé.",
        popularity=1.1,
        mean=4.4,
        traits=frozenset({"frame", "hiking", "hip_belt", "straps", "trek"}),
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
        name_fr="Sac d'hydratation Sentier 10 L",
        description_fr="Un sac de 10 litres avec une poche à eau de 2 litres pour le trail et le VTT, avec "
        "sangles de poitrine et porte-casque.",
        popularity=1.1,
        mean=3.9,
        traits=frozenset({"hiking", "straps"}),
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
        name_fr="Sac à dos de trek femme Sentier 50 L",
        description_fr="Un sac de trek de 50 litres taillé pour les femmes : dos plus court, bretelles galbées "
        "et ceinture conique.",
        popularity=1.0,
        mean=4.1,
        traits=frozenset({"frame", "hiking", "hip_belt", "straps", "trek", "ventilated"}),
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
        name_fr="Sac à dos de randonnée enfant Sentier 10 L",
        description_fr="Un sac à dos de 10 litres pour les enfants de 5 à 10 ans, avec un sifflet sur la sangle "
        "de poitrine et des passepoils réfléchissants.",
        popularity=0.8,
        mean=4.3,
        traits=frozenset({"hiking", "straps"}),
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
        name_fr="Sac de voyage cabine Alpenrand Travel 50 L",
        description_fr="Un sac de voyage de 50 litres qui s'ouvre comme une valise, aux dimensions de la "
        "plupart des bagages cabine, avec un harnais escamotable.",
        popularity=1.2,
        mean=4.1,
        traits=frozenset({"straps", "travel"}),
    ),
    ProductSpec(
        "SNT-3015",
        "Sentier Foldable Daypack 15 L",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this daypack", "the daypack", "ce sac", "le sac"),
        description="A 15-litre daypack that folds into its own pocket, 120 g.",
        name_fr="Sac à dos pliable Sentier 15 L",
        description_fr="Un sac de 15 litres qui se range dans sa propre poche, 120 g.",
        popularity=1.0,
        mean=3.8,
        traits=frozenset({"hiking", "straps"}),
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
        name_fr="Sac de voyage Alpenrand Expedition 70 L",
        description_fr="Un sac de voyage étanche de 70 litres en tissu enduit, avec bretelles de sac à dos, "
        "large ouverture zippée en U et sangles de compression.",
        popularity=0.7,
        mean=4.3,
        launched_days_ago=420,
        traits=frozenset({"straps", "travel"}),
    ),
    ProductSpec(
        "SNT-3003",
        "Sentier Hip Pack 3 L",
        "Sentier",
        "hiking-backpacks",
        "backpack",
        Noun("this hip pack", "the hip pack", "cette banane", "la banane"),
        description="A 3-litre hip pack with two bottle holders and a phone pocket, for short hikes and city days.",
        name_fr="Sac banane Sentier 3 L",
        description_fr="Une banane de 3 litres avec deux porte-gourdes et une poche pour le téléphone, pour les "
        "courtes randonnées et les journées en ville.",
        popularity=0.9,
        mean=4.0,
        traits=frozenset({"hiking"}),
    ),
)
