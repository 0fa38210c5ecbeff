"""The demo catalogue: six categories of own-brand products, and the few that go wrong.

Everything here is fixed data; `devtools.demo.plan` turns it into dated reviews. A product's
`scenario` names the part it plays for the quality gate (see `devtools.demo.scenarios`).

One module although long (about 800 lines): it is pure data, one table of some 60 products
(names, brands, descriptions, popularity, launch) and the six categories, read as a whole;
the catalogue's balance (categories, brands, the few poor products) is seen in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    # Relative review volume by calendar month (January first): tents sell in summer,
    # headphones before Christmas.
    season: tuple[float, ...]


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
    # Relative review volume, and the mean rating customers give it (normal products).
    popularity: float = 1.0
    mean: float = 4.1
    # The first review is at most this many days before the seeding day.
    launched_days_ago: int = 540
    # Managed by the demo product manager (every product with a scenario is).
    managed: bool = False
    scenario: str = ""


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("running-shoes", "Running shoes", (1.5, 1.2, 1.3, 1.3, 1.1, 1.0, 0.8, 0.8, 1.3, 1.1, 0.9, 0.8)),
    CategorySpec("tents-camping", "Tents & camping", (0.3, 0.3, 0.6, 1.0, 1.5, 2.0, 2.2, 2.0, 0.9, 0.5, 0.3, 0.4)),
    CategorySpec(
        "bikes-accessories", "Bikes & accessories", (0.6, 0.7, 1.1, 1.4, 1.5, 1.4, 1.2, 1.0, 1.2, 1.0, 0.8, 0.8)
    ),
    CategorySpec("kitchen", "Kitchen", (1.0, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.8, 0.9, 1.1, 1.6, 2.0)),
    CategorySpec("headphones", "Headphones & audio", (1.0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 1.0, 1.1, 1.8, 2.0)),
    CategorySpec("hiking-backpacks", "Hiking backpacks", (0.5, 0.5, 0.7, 1.0, 1.3, 1.6, 1.8, 1.6, 1.1, 0.8, 0.6, 0.8)),
)

_SHOES = Noun("these shoes", "the shoes", "ces chaussures", "les chaussures")


PRODUCTS: tuple[ProductSpec, ...] = (
    # --- Running shoes --------------------------------------------------------------------
    ProductSpec(
        "STL-2041",
        "Stridelab Cloudpace 2 Road Running Shoe",
        "Stridelab",
        "running-shoes",
        "shoe",
        _SHOES,
        description="A cushioned daily trainer for 5 km to half-marathon runs. Dual-density foam midsole, "
        "engineered mesh upper, 10 mm drop. Weight: 285 g in size 42.",
        popularity=1.6,
        launched_days_ago=300,
        managed=True,
        scenario="flag_recent",
    ),
    ProductSpec(
        "STL-2035",
        "Stridelab Tempo 3 Road Running Shoe",
        "Stridelab",
        "running-shoes",
        "shoe",
        _SHOES,
        description="A light, responsive shoe for interval sessions and 10 km races. 8 mm drop, "
        "rubber outsole on the wear zones, 240 g in size 42.",
        popularity=3.0,
        mean=4.3,
        managed=True,
    ),
    ProductSpec(
        "STL-1110",
        "Stridelab Kids Dash Running Shoe",
        "Stridelab",
        "running-shoes",
        "shoe",
        _SHOES,
        description="A running shoe for children from size 28 to 39, with a hook-and-loop strap up to size 35 "
        "and a reinforced toe for the playground.",
        popularity=1.2,
        mean=4.1,
        managed=True,
    ),
    ProductSpec(
        "STL-2090",
        "Stridelab Marathon Elite Carbon Racer",
        "Stridelab",
        "running-shoes",
        "shoe",
        _SHOES,
        description="Our race-day shoe: a carbon plate in a high-rebound foam for marathon and half-marathon "
        "racing. 199 g in size 42, 8 mm drop.",
        popularity=0.8,
        mean=4.4,
        launched_days_ago=420,
        managed=True,
    ),
    ProductSpec(
        "STL-1001",
        "Stridelab Everyday Jog 100",
        "Stridelab",
        "running-shoes",
        "shoe",
        _SHOES,
        description="A simple, affordable shoe to start running: up to 2 sessions a week on the road "
        "or park paths. Breathable mesh, EVA midsole.",
        popularity=2.6,
        mean=3.8,
        managed=True,
    ),
    ProductSpec(
        "TRN-3050",
        "Terrano Trail Grip 500 Trail Running Shoe",
        "Terrano",
        "running-shoes",
        "shoe",
        _SHOES,
        description="A trail shoe for mixed terrain with 5 mm lugs, a rock plate under the forefoot and "
        "a toe bumper. 6 mm drop.",
        popularity=2.0,
        mean=4.2,
        managed=True,
    ),
    ProductSpec(
        "TRN-3051",
        "Terrano Trail Grip 500 Waterproof",
        "Terrano",
        "running-shoes",
        "shoe",
        _SHOES,
        description="The Trail Grip 500 with a waterproof, breathable membrane for winter and wet trails. "
        "Gaiter ring at the heel.",
        popularity=1.1,
        mean=3.9,
        managed=True,
    ),
    ProductSpec(
        "TRN-3090",
        "Terrano Ultra 900 Trail Shoe",
        "Terrano",
        "running-shoes",
        "shoe",
        _SHOES,
        description="Built for ultra-trail: a wide toe box, generous cushioning, quick laces with a "
        "pocket on the tongue, and a sticky rubber outsole.",
        popularity=1.0,
        mean=4.5,
        launched_days_ago=480,
        managed=True,
    ),
    ProductSpec(
        "STL-2030",
        "Stridelab Comfort Run 300 Women's Shoe",
        "Stridelab",
        "running-shoes",
        "shoe",
        _SHOES,
        description="A women's last with a narrower heel, soft cushioning for regular runs of up to 15 km, "
        "and reflective details for winter evenings.",
        popularity=1.4,
        mean=4.0,
        managed=True,
    ),
    ProductSpec(
        "TRN-3020",
        "Terrano Trail Grip 300 Kids",
        "Terrano",
        "running-shoes",
        "shoe",
        _SHOES,
        description="A trail shoe for young runners (sizes 30 to 39): grippy lugs, a quick-lace system "
        "and a toe bumper.",
        popularity=0.6,
        mean=4.2,
        launched_days_ago=400,
    ),
    # --- Tents & camping ------------------------------------------------------------------
    ProductSpec(
        "CFD-4102",
        "Cairnfield Breeze 2 Pop-Up Tent",
        "Cairnfield",
        "tents-camping",
        "tent",
        Noun("this tent", "the tent", "cette tente", "la tente"),
        description="A two-person pop-up tent that opens in two seconds. Polyester flysheet, sewn-in "
        "groundsheet, one door. Packed size: 59 cm disc.",
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
        popularity=1.6,
        mean=4.1,
    ),
    ProductSpec(
        "BVK-5300",
        "Bivouak Self-Inflating Mat 5 cm",
        "Bivouak",
        "tents-camping",
        "sleep",
        Noun("this mat", "the mat", "ce matelas", "le matelas"),
        description="A 5 cm self-inflating foam mat, 183 × 52 cm, R-value 3.2. Packs to 28 × 16 cm with its straps.",
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
        popularity=1.3,
        mean=4.0,
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
        popularity=1.1,
        mean=4.2,
    ),
    ProductSpec(
        "BVK-5250",
        "Bivouak Down Sleeping Bag 0°",
        "Bivouak",
        "tents-camping",
        "sleep",
        Noun("this sleeping bag", "the sleeping bag", "ce sac de couchage", "le sac de couchage"),
        description="A duck down sleeping bag (80/20), comfortable to 0 °C, 980 g. Mummy shape with a draught collar.",
        popularity=0.7,
        mean=4.5,
        launched_days_ago=450,
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
        popularity=0.9,
        mean=4.0,
    ),
    # --- Bikes & accessories --------------------------------------------------------------
    ProductSpec(
        "RAY-6500",
        "Rayo Urban 500 Bike Light Set",
        "Rayo",
        "bikes-accessories",
        "bike_acc",
        Noun("this light set", "the lights", "ces éclairages", "les éclairages"),
        description="A USB-C rechargeable front and rear light set: 400 lumens at the front, a rear light "
        "with brake detection, tool-free silicone mounts. Sealed charging port since the 2nd version.",
        popularity=1.0,
        launched_days_ago=540,
        managed=True,
        scenario="reinstated",
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
        popularity=1.1,
        mean=4.0,
    ),
    ProductSpec(
        "VLM-7900",
        "Velomont Floor Pump 500 with Gauge",
        "Velomont",
        "bikes-accessories",
        "bike_acc",
        Noun("this pump", "the pump", "cette pompe", "la pompe"),
        description="A steel floor pump to 11 bar with a large gauge and a dual head for Presta and Schrader valves.",
        popularity=1.3,
        mean=4.3,
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
        popularity=1.0,
        mean=3.9,
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
        popularity=1.2,
        mean=4.2,
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
        popularity=0.8,
        mean=3.8,
    ),
    # --- Kitchen --------------------------------------------------------------------------
    ProductSpec(
        "MCV-8128",
        "Maison Cuivre Nonstick Frying Pan 28 cm",
        "Maison Cuivre",
        "kitchen",
        "cookware",
        Noun("this pan", "the pan", "cette poêle", "la poêle"),
        description="A 28 cm aluminium frying pan with a PFOA-free nonstick coating, suitable for every hob "
        "including induction. Oven-safe to 180 °C.",
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
        popularity=1.0,
        mean=4.0,
    ),
    # --- Headphones & audio ---------------------------------------------------------------
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
    # --- Hiking backpacks -----------------------------------------------------------------
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
