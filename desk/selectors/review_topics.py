"""The topics of the reviews a desk page lists (topics.models.ReviewTopic, written by the
tagger): which of a product's reviews speak of a topic (the ``?topic=`` filter), and each
listed review's tags with the words that matched, fetched for a whole page at once."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, prefetch_related_objects

from products.models import Product
from reviews.models import Review
from topics.models import ReviewTopic, Topic


def review_topic_choices() -> list[Topic]:
    """The topics a review list may be narrowed to, in the order pages list them."""
    return list(Topic.objects.order_by("position"))


def reviews_about_topic(reviews: Sequence[Review], *, product: Product, topic_key: str) -> list[Review]:
    """Those of ``reviews`` (the product's, as listed) tagged with the topic, in their order
    (one query: the tagged reviews' ids of the product)."""
    tagged = set(
        ReviewTopic.objects.filter(topic__key=topic_key, review__product=product).values_list("review_id", flat=True)
    )
    return [review for review in reviews if review.pk in tagged]


def review_topics_attach(reviews: Sequence[Review]) -> None:
    """Fetches the tags of every review of ``reviews`` in one query (with their topics), in
    the topics' order: the template reads ``review.topic_tags.all`` without a query each."""
    tags = ReviewTopic.objects.select_related("topic").order_by("topic__position")
    prefetch_related_objects(list(reviews), Prefetch("topic_tags", queryset=tags))
