"""The demo catalogue's tents & camping."""

from __future__ import annotations

from devtools.demo.catalogue.specs import Noun, ProductSpec

PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "CFD-4102",
        "Cairnfield Breeze 2 Pop-Up Tent",
        "Cairnfield",
        "tents-camping",
        "tent",
        Noun("this tent", "the tent", "cette tente", "la tente"),
        description="A two-person pop-up tent that opens in two seconds. Polyester flysheet, sewn-in "
        "groundsheet, one door. Packed size: 59 cm disc.",
        name_fr="Tente pop-up Cairnfield Breeze 2",
        description_fr="Une tente pop-up deux places qui s'ouvre en deux secondes. Double toit en polyester, "
        "tapis de sol cousu, une porte. Encombrement plié : disque de 59 cm.",
        popularity=1.0,
        launched_days_ago=330,
        managed=True,
        scenario="withdrawn",
    ),
    ProductSpec(
        "CFD-4400",
        "Cairnfield Base 4 Family Tent",
        "Cairnfield",
        "tents-camping",
        "tent",
        Noun("this tent", "the tent", "cette tente", "la tente"),
        description="A four-person tunnel tent with two bedrooms and a 4 m² living area you can stand in. "
        "Hydrostatic head 2,000 mm, pitched in 15 minutes by two people.",
        name_fr="Tente familiale Cairnfield Base 4",
        description_fr="Une tente tunnel quatre places avec deux chambres et un séjour de 4 m² où l'on tient "
        "debout. Colonne d'eau de 2 000 mm, montage en 15 minutes à deux.",
        popularity=1.8,
        mean=4.3,
    ),
    ProductSpec(
        "CFD-4300",
        "Cairnfield Quickpitch 3 Tent",
        "Cairnfield",
        "tents-camping",
        "tent",
        Noun("this tent", "the tent", "cette tente", "la tente"),
        description="A three-person dome tent with colour-coded poles and a porch for your bags. Packed weight 4.1 kg.",
        name_fr="Tente Cairnfield Quickpitch 3",
        description_fr="Une tente dôme trois places aux arceaux repérés par couleur, avec un auvent pour les "
        "sacs. Poids emballée : 4,1 kg.",
        popularity=1.5,
        mean=4.2,
    ),
    ProductSpec(
        "BVK-5010",
        "Bivouak Ultralight 1 Trekking Tent",
        "Bivouak",
        "tents-camping",
        "tent",
        Noun("this tent", "the tent", "cette tente", "la tente"),
        description="A one-person trekking tent at 1.2 kg, pitched with trekking poles. Silicone-coated "
        "flysheet, inner mesh for summer nights.",
        name_fr="Tente de trek ultralégère Bivouak Ultralight 1",
        description_fr="Une tente de trek une place de 1,2 kg, montée avec des bâtons de randonnée. Double toit "
        "siliconé, chambre en moustiquaire pour les nuits d'été.",
        popularity=0.9,
        mean=4.4,
    ),
    ProductSpec(
        "BVK-5200",
        "Bivouak Comfort 10° Sleeping Bag",
        "Bivouak",
        "tents-camping",
        "sleep",
        Noun("this sleeping bag", "the sleeping bag", "ce sac de couchage", "le sac de couchage"),
        description="A synthetic sleeping bag, comfortable down to 10 °C, with a full-length zip and a "
        "compression sack. Opens out into a quilt.",
        name_fr="Sac de couchage Bivouak Confort 10°",
        description_fr="Un sac de couchage synthétique, confortable jusqu'à 10 °C, avec une fermeture éclair "
        "sur toute la longueur et un sac de compression. S'ouvre en couette.",
        popularity=1.6,
        mean=4.1,
        traits=frozenset({"bag"}),
    ),
    ProductSpec(
        "BVK-5300",
        "Bivouak Self-Inflating Mat 5 cm",
        "Bivouak",
        "tents-camping",
        "sleep",
        Noun("this mat", "the mat", "ce matelas", "le matelas"),
        description="A 5 cm self-inflating foam mat, 183 × 52 cm, R-value 3.2. Packs to 28 × 16 cm with its straps.",
        name_fr="Matelas autogonflant Bivouak 5 cm",
        description_fr="Un matelas autogonflant en mousse de 5 cm, 183 × 52 cm, valeur R de 3,2. Se range en 28 "
        "× 16 cm avec ses sangles.",
        popularity=1.2,
        mean=3.9,
    ),
    ProductSpec(
        "CFD-4800",
        "Cairnfield Folding Camp Chair",
        "Cairnfield",
        "tents-camping",
        "camp",
        Noun("this chair", "the chair", "cette chaise", "la chaise"),
        description="A folding camping chair with armrests, cup holder and a steel frame; supports 110 kg. "
        "Folds flat into its carry bag.",
        name_fr="Chaise de camping pliante Cairnfield",
        description_fr="Une chaise de camping pliante avec accoudoirs, porte-gobelet et cadre en acier ; "
        "supporte 110 kg. Se plie à plat dans sa housse de transport.",
        popularity=1.3,
        mean=4.0,
        traits=frozenset({"plastic"}),
    ),
    ProductSpec(
        "CFD-4810",
        "Cairnfield LED Camping Lantern 200 lm",
        "Cairnfield",
        "tents-camping",
        "camp",
        Noun("this lantern", "the lantern", "cette lanterne", "la lanterne"),
        description="A rechargeable lantern with warm and cool light, 200 lumens, up to 20 hours on the "
        "low setting. Hook and magnetic base.",
        name_fr="Lanterne de camping LED Cairnfield 200 lm",
        description_fr="Une lanterne rechargeable à lumière chaude ou froide, 200 lumens, jusqu'à 20 heures en "
        "mode faible. Crochet et base aimantée.",
        popularity=1.1,
        mean=4.2,
        traits=frozenset({"electric", "plastic"}),
    ),
    ProductSpec(
        "BVK-5250",
        "Bivouak Down Sleeping Bag 0°",
        "Bivouak",
        "tents-camping",
        "sleep",
        Noun("this sleeping bag", "the sleeping bag", "ce sac de couchage", "le sac de couchage"),
        description="A duck down sleeping bag (80/20), comfortable to 0 °C, 980 g. Mummy shape with a draught collar.",
        name_fr="Sac de couchage en duvet Bivouak 0°",
        description_fr="Un sac de couchage en duvet de canard (80/20), confortable jusqu'à 0 °C, 980 g. Forme "
        "sarcophage avec collerette.",
        popularity=0.7,
        mean=4.5,
        launched_days_ago=450,
        traits=frozenset({"bag"}),
    ),
    ProductSpec(
        "CFD-4820",
        "Cairnfield Camping Cookset 2-Person",
        "Cairnfield",
        "tents-camping",
        "camp",
        Noun("this cookset", "the cookset", "ce kit de cuisine", "le kit"),
        description="A nesting aluminium cookset: two pots, a frying pan, two bowls and a folding handle. "
        "Fits a 230 g gas canister inside.",
        name_fr="Popote de camping Cairnfield 2 personnes",
        description_fr="Une popote en aluminium qui s'emboîte : deux casseroles, une poêle, deux bols et une "
        "poignée pliante. Une cartouche de gaz de 230 g tient à l'intérieur.",
        popularity=0.9,
        mean=4.0,
    ),
)
