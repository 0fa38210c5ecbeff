"""The demo catalogue's kitchen."""

from __future__ import annotations

from devtools.demo.catalogue.specs import Noun, ProductSpec

PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "MCV-8128",
        "Maison Cuivre Nonstick Frying Pan 28 cm",
        "Maison Cuivre",
        "kitchen",
        "cookware",
        Noun("this pan", "the pan", "cette poêle", "la poêle"),
        description="A 28 cm aluminium frying pan with a PFOA-free nonstick coating, suitable for every hob "
        "including induction. Oven-safe to 180 °C.",
        name_fr="Poêle antiadhésive Maison Cuivre 28 cm",
        description_fr="Une poêle en aluminium de 28 cm au revêtement antiadhésif sans PFOA, pour tous les "
        "feux, induction comprise. Va au four jusqu'à 180 °C.",
        popularity=1.0,
        launched_days_ago=360,
        managed=True,
        scenario="recovered",
    ),
    ProductSpec(
        "MCV-8300",
        "Maison Cuivre Stainless Steel Saucepan Set",
        "Maison Cuivre",
        "kitchen",
        "cookware",
        Noun("this set", "the pans", "cette batterie", "les casseroles"),
        description="Three stainless steel saucepans (16, 18 and 20 cm) with glass lids and an "
        "encapsulated base for every hob.",
        name_fr="Batterie de casseroles inox Maison Cuivre",
        description_fr="Trois casseroles en inox (16, 18 et 20 cm) avec couvercles en verre et fond encapsulé "
        "pour tous les feux.",
        popularity=1.4,
        mean=4.4,
        managed=True,
    ),
    ProductSpec(
        "MCV-8240",
        "Maison Cuivre Cast Iron Casserole 24 cm",
        "Maison Cuivre",
        "kitchen",
        "cookware",
        Noun("this casserole", "the casserole", "cette cocotte", "la cocotte"),
        description="An enamelled cast iron casserole, 4.2 litres, for slow cooking on any hob and in the "
        "oven up to 250 °C.",
        name_fr="Cocotte en fonte Maison Cuivre 24 cm",
        description_fr="Une cocotte en fonte émaillée de 4,2 litres, pour les cuissons lentes sur tous les feux "
        "et au four jusqu'à 250 °C.",
        popularity=1.5,
        mean=4.6,
        managed=True,
    ),
    ProductSpec(
        "FRN-9020",
        "Fourneau Chef's Knife 20 cm",
        "Fourneau",
        "kitchen",
        "kitchen",
        Noun("this knife", "the knife", "ce couteau", "le couteau"),
        description="A forged chef's knife in German stainless steel, full tang, 20 cm blade, with a blade guard.",
        name_fr="Couteau de chef Fourneau 20 cm",
        description_fr="Un couteau de chef forgé en acier inoxydable allemand, soie pleine, lame de 20 cm, "
        "livré avec un protège-lame.",
        popularity=1.3,
        mean=4.3,
    ),
    ProductSpec(
        "FRN-9170",
        "Fourneau Electric Kettle 1.7 L",
        "Fourneau",
        "kitchen",
        "kitchen",
        Noun("this kettle", "the kettle", "cette bouilloire", "la bouilloire"),
        description="A 2,200 W stainless steel kettle with a water window, limescale filter and auto shut-off.",
        name_fr="Bouilloire électrique Fourneau 1,7 L",
        description_fr="Une bouilloire en inox de 2 200 W avec fenêtre de niveau, filtre anticalcaire et arrêt "
        "automatique.",
        popularity=1.6,
        mean=3.9,
    ),
    ProductSpec(
        "FRN-9800",
        "Fourneau Hand Blender 800 W",
        "Fourneau",
        "kitchen",
        "kitchen",
        Noun("this blender", "the blender", "ce mixeur", "le mixeur"),
        description="An 800 W hand blender with a stainless steel foot, whisk, chopper bowl and a 700 ml beaker.",
        name_fr="Mixeur plongeant Fourneau 800 W",
        description_fr="Un mixeur plongeant de 800 W avec pied en inox, fouet, mini-hachoir et gobelet de 700 ml.",
        popularity=1.3,
        mean=4.0,
    ),
    ProductSpec(
        "MCV-8600",
        "Maison Cuivre Pressure Cooker 6 L",
        "Maison Cuivre",
        "kitchen",
        "cookware",
        Noun("this pressure cooker", "the pressure cooker", "cet autocuiseur", "l'autocuiseur"),
        description="A 6-litre stainless steel pressure cooker with two pressure settings, a steam "
        "basket and a one-hand locking lid.",
        name_fr="Autocuiseur Maison Cuivre 6 L",
        description_fr="Un autocuiseur en inox de 6 litres avec deux niveaux de pression, un panier vapeur et "
        "un couvercle à fermeture d'une main.",
        popularity=1.0,
        mean=4.2,
        managed=True,
    ),
    ProductSpec(
        "FRN-9300",
        "Fourneau Bamboo Cutting Board Set",
        "Fourneau",
        "kitchen",
        "kitchen",
        Noun("this board set", "the boards", "ces planches", "les planches"),
        description="Three bamboo cutting boards (small, medium, large) with juice grooves.",
        name_fr="Lot de planches à découper en bambou Fourneau",
        description_fr="Trois planches à découper en bambou (petite, moyenne, grande) avec rigoles à jus.",
        popularity=0.9,
        mean=4.1,
    ),
    ProductSpec(
        "FRN-9410",
        "Fourneau Insulated Lunch Box 1 L",
        "Fourneau",
        "kitchen",
        "kitchen",
        Noun("this lunch box", "the lunch box", "cette boîte repas", "la boîte"),
        description="A double-walled stainless steel food jar that keeps soup hot for 6 hours, "
        "with a folding spoon in the lid.",
        name_fr="Lunch box isotherme Fourneau 1 L",
        description_fr="Une boîte repas isotherme en inox à double paroi qui garde la soupe chaude 6 heures, "
        "avec une cuillère pliante dans le couvercle.",
        popularity=1.0,
        launched_days_ago=330,
        managed=True,
        scenario="flag_earlier",
    ),
    ProductSpec(
        "FRN-9600",
        "Fourneau Burr Coffee Grinder",
        "Fourneau",
        "kitchen",
        "kitchen",
        Noun("this grinder", "the grinder", "ce moulin", "le moulin"),
        description="An electric conical burr grinder with 18 grind settings from espresso to French press "
        "and a 250 g bean hopper.",
        name_fr="Moulin à café à meules Fourneau",
        description_fr="Un moulin électrique à meules coniques avec 18 réglages de mouture, de l'espresso à la "
        "cafetière à piston, et un réservoir de 250 g de grains.",
        popularity=1.0,
        mean=4.0,
    ),
)
