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
        popularity=0.6,
        mean=4.2,
        launched_days_ago=400,
    ),
)
