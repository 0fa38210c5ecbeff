"""The demo catalogue's bikes & accessories."""

from __future__ import annotations

from devtools.demo.catalogue.specs import Noun, ProductSpec

PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "RAY-6500",
        "Rayo Urban 500 Bike Light Set",
        "Rayo",
        "bikes-accessories",
        "bike_acc",
        Noun("this light set", "the lights", "ces éclairages", "les éclairages"),
        description="A USB-C rechargeable front and rear light set: 400 lumens at the front, a rear light "
        "with brake detection, tool-free silicone mounts. Sealed charging port since the 2nd version.",
        name_fr="Kit d'éclairage vélo Rayo Urban 500",
        description_fr="Un kit d'éclairage avant et arrière rechargeable en USB-C : 400 lumens à l'avant, un "
        "feu arrière qui détecte le freinage, des fixations en silicone sans outil. Port de "
        "charge étanche depuis la 2e version.",
        popularity=1.0,
        launched_days_ago=540,
        managed=True,
        scenario="reinstated",
        traits=frozenset({"electric", "mount", "plastic"}),
    ),
    ProductSpec(
        "VLM-7120",
        "Velomont Riverside 120 Hybrid Bike",
        "Velomont",
        "bikes-accessories",
        "bike",
        Noun("this bike", "the bike", "ce vélo", "le vélo"),
        description="A hybrid bike for paths and roads: aluminium frame, 8-speed, suspension fork with "
        "lockout, 700 × 38 tyres.",
        name_fr="Vélo tout chemin Velomont Riverside 120",
        description_fr="Un vélo tout chemin pour les routes et les chemins : cadre en aluminium, 8 vitesses, "
        "fourche suspendue avec blocage, pneus 700 × 38.",
        popularity=2.0,
        mean=4.3,
    ),
    ProductSpec(
        "VLM-7500",
        "Velomont City 500 Step-Through Bike",
        "Velomont",
        "bikes-accessories",
        "bike",
        Noun("this bike", "the bike", "ce vélo", "le vélo"),
        description="A step-through city bike with hub gears, dynamo lights, mudguards, chain guard "
        "and a rear rack rated for 25 kg.",
        name_fr="Vélo de ville cadre bas Velomont City 500",
        description_fr="Un vélo de ville à cadre bas avec moyeu à vitesses intégrées, éclairage à dynamo, "
        "garde-boue, carter de chaîne et porte-bagages de 25 kg.",
        popularity=1.5,
        mean=4.1,
    ),
    ProductSpec(
        "VLM-7520",
        "Velomont Ridge 520 Mountain Bike",
        "Velomont",
        "bikes-accessories",
        "bike",
        Noun("this bike", "the bike", "ce vélo", "le VTT"),
        description="A hardtail mountain bike with 100 mm travel, hydraulic disc brakes and a 1×10 drivetrain. "
        '27.5" wheels on S and M, 29" on L and XL.',
        name_fr="VTT semi-rigide Velomont Ridge 520",
        description_fr="Un VTT semi-rigide avec 100 mm de débattement, freins à disque hydrauliques et "
        'transmission 1×10. Roues de 27,5" en S et M, de 29" en L et XL.',
        popularity=1.4,
        mean=4.2,
    ),
    ProductSpec(
        "VLM-7016",
        'Velomont Kids 16" Bike',
        "Velomont",
        "bikes-accessories",
        "bike",
        Noun("this bike", "the bike", "ce vélo", "le vélo"),
        description="A 16-inch bike for children from 4 to 6 years (105 to 120 cm), with removable "
        "stabilisers and an easy-to-reach brake lever.",
        name_fr="Vélo enfant Velomont 16 pouces",
        description_fr="Un vélo de 16 pouces pour les enfants de 4 à 6 ans (105 à 120 cm), avec stabilisateurs "
        "amovibles et levier de frein facile à atteindre.",
        popularity=1.2,
        mean=4.4,
    ),
    ProductSpec(
        "RAY-6900",
        "Rayo U-Lock 900",
        "Rayo",
        "bikes-accessories",
        "bike_acc",
        Noun("this lock", "the lock", "cet antivol", "l'antivol"),
        description="A 16 mm hardened-steel U-lock with frame bracket and three keys, rated for high-theft areas.",
        name_fr="Antivol en U Rayo U-Lock 900",
        description_fr="Un antivol en U en acier trempé de 16 mm, avec support de cadre et trois clés, conçu "
        "pour les zones à fort risque de vol.",
        popularity=1.1,
        mean=4.0,
        traits=frozenset({"mount"}),
    ),
    ProductSpec(
        "VLM-7900",
        "Velomont Floor Pump 500 with Gauge",
        "Velomont",
        "bikes-accessories",
        "bike_acc",
        Noun("this pump", "the pump", "cette pompe", "la pompe"),
        description="A steel floor pump to 11 bar with a large gauge and a dual head for Presta and Schrader valves.",
        name_fr="Pompe à pied Velomont 500 avec manomètre",
        description_fr="Une pompe à pied en acier jusqu'à 11 bar, avec un grand manomètre et une tête double "
        "pour valves Presta et Schrader.",
        popularity=1.3,
        mean=4.3,
        traits=frozenset({"plastic"}),
    ),
    ProductSpec(
        "VLM-7810",
        "Velomont Commuter Pannier 20 L",
        "Velomont",
        "bikes-accessories",
        "bike_acc",
        Noun("this pannier", "the pannier", "cette sacoche", "la sacoche"),
        description="A 20-litre waterproof pannier with a quick-release rack hook, reflective strips and "
        "a laptop sleeve.",
        name_fr="Sacoche vélotaf Velomont 20 L",
        description_fr="Une sacoche étanche de 20 litres avec crochet de porte-bagages à fixation rapide, "
        "bandes réfléchissantes et pochette pour ordinateur portable.",
        popularity=1.0,
        mean=3.9,
        traits=frozenset({"mount", "plastic"}),
    ),
    ProductSpec(
        "RAY-6300",
        "Rayo Cycling Helmet 500",
        "Rayo",
        "bikes-accessories",
        "bike_acc",
        Noun("this helmet", "the helmet", "ce casque", "le casque"),
        description="A road and city helmet with 18 vents, a dial-adjust retention system and a "
        "removable visor. EN 1078.",
        name_fr="Casque de vélo Rayo 500",
        description_fr="Un casque route et ville avec 18 aérations, une molette de réglage et une visière "
        "amovible. Norme EN 1078.",
        popularity=1.2,
        mean=4.2,
        traits=frozenset({"plastic"}),
    ),
    ProductSpec(
        "VLM-7700",
        "Velomont Puncture-Resistant Tyre 700×35",
        "Velomont",
        "bikes-accessories",
        "bike_acc",
        Noun("this tyre", "the tyre", "ce pneu", "le pneu"),
        description="A commuting tyre with a 3 mm anti-puncture layer and reflective sidewalls. "
        "Inflate to 4.5–6.5 bar.",
        name_fr="Pneu anti-crevaison Velomont 700×35",
        description_fr="Un pneu pour les trajets quotidiens avec une couche anti-crevaison de 3 mm et des "
        "flancs réfléchissants. Gonflage de 4,5 à 6,5 bar.",
        popularity=0.8,
        mean=3.8,
        traits=frozenset({"tyre"}),
    ),
)
