"""The demo catalogue's running shoes."""

from __future__ import annotations

from devtools.demo.catalogue.specs import Noun, ProductSpec

SHOES = Noun("these shoes", "the shoes", "ces chaussures", "les chaussures")

PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "STL-2041",
        "Stridelab Cloudpace 2 Road Running Shoe",
        "Stridelab",
        "running-shoes",
        "shoe",
        SHOES,
        description="A cushioned daily trainer for 5 km to half-marathon runs. Dual-density foam midsole, "
        "engineered mesh upper, 10 mm drop. Weight: 285 g in size 42.",
        name_fr="Chaussure de running sur route Stridelab Cloudpace 2",
        description_fr="Une chaussure d'entraînement amortie pour les sorties du 5 km au semi-marathon. Semelle "
        "intermédiaire en mousse double densité, tige en mesh technique, drop de 10 mm. Poids : "
        "285 g en 42.",
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
        SHOES,
        description="A light, responsive shoe for interval sessions and 10 km races. 8 mm drop, "
        "rubber outsole on the wear zones, 240 g in size 42.",
        name_fr="Chaussure de running sur route Stridelab Tempo 3",
        description_fr="Une chaussure légère et dynamique pour le fractionné et les courses de 10 km. Drop de 8 "
        "mm, semelle en caoutchouc sur les zones d'usure, 240 g en 42.",
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
        SHOES,
        description="A running shoe for children from size 28 to 39, with a hook-and-loop strap up to size 35 "
        "and a reinforced toe for the playground.",
        name_fr="Chaussure de running enfant Stridelab Kids Dash",
        description_fr="Une chaussure de course pour enfants, du 28 au 39, avec une fermeture à scratch "
        "jusqu'au 35 et un bout renforcé pour la cour de récréation.",
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
        SHOES,
        description="Our race-day shoe: a carbon plate in a high-rebound foam for marathon and half-marathon "
        "racing. 199 g in size 42, 8 mm drop.",
        name_fr="Chaussure de compétition Stridelab Marathon Elite Carbone",
        description_fr="Notre chaussure des jours de course : une plaque carbone dans une mousse à fort rebond, "
        "pour le marathon et le semi-marathon. 199 g en 42, drop de 8 mm.",
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
        SHOES,
        description="A simple, affordable shoe to start running: up to 2 sessions a week on the road "
        "or park paths. Breathable mesh, EVA midsole.",
        name_fr="Stridelab Everyday Jog 100",
        description_fr="Une chaussure simple et abordable pour débuter la course à pied : jusqu'à 2 sorties par "
        "semaine, sur route ou chemins de parc. Mesh respirant, semelle intermédiaire en EVA.",
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
        SHOES,
        description="A trail shoe for mixed terrain with 5 mm lugs, a rock plate under the forefoot and "
        "a toe bumper. 6 mm drop.",
        name_fr="Chaussure de trail Terrano Trail Grip 500",
        description_fr="Une chaussure de trail pour terrains variés, avec des crampons de 5 mm, une plaque "
        "anti-pierres sous l'avant-pied et un pare-pierres. Drop de 6 mm.",
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
        SHOES,
        description="The Trail Grip 500 with a waterproof, breathable membrane for winter and wet trails. "
        "Gaiter ring at the heel.",
        name_fr="Terrano Trail Grip 500 imperméable",
        description_fr="La Trail Grip 500 avec une membrane imperméable et respirante pour l'hiver et les "
        "sentiers humides. Anneau de guêtre au talon.",
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
        SHOES,
        description="Built for ultra-trail: a wide toe box, generous cushioning, quick laces with a "
        "pocket on the tongue, and a sticky rubber outsole.",
        name_fr="Chaussure de trail Terrano Ultra 900",
        description_fr="Conçue pour l'ultra-trail : avant-pied large, amorti généreux, laçage rapide avec poche "
        "sur la languette et semelle en caoutchouc adhérent.",
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
        SHOES,
        description="A women's last with a narrower heel, soft cushioning for regular runs of up to 15 km, "
        "and reflective details for winter evenings.",
        name_fr="Chaussure de running femme Stridelab Comfort Run 300",
        description_fr="Une forme femme au talon plus étroit, un amorti souple pour des sorties régulières "
        "jusqu'à 15 km, et des détails réfléchissants pour les soirs d'hiver.",
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
        SHOES,
        description="A trail shoe for young runners (sizes 30 to 39): grippy lugs, a quick-lace system "
        "and a toe bumper.",
        name_fr="Terrano Trail Grip 300 enfant",
        description_fr="Une chaussure de trail pour les jeunes coureurs (du 30 au 39) : crampons accrocheurs, "
        "laçage rapide et pare-pierres.",
        popularity=0.6,
        mean=4.2,
        launched_days_ago=400,
    ),
)
