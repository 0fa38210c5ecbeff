"""The shape of GET /api/v1/topic-figures/: a month's topic figures (topics.figures defines
them). Counts, shares and averages only: no review, author or text is ever in it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from topics.models import TopicKey


class TopicFigureSerializer(serializers.Serializer):
    """Reads a topics.figures.TopicFigure."""

    topic = serializers.ChoiceField(choices=TopicKey.choices, help_text=_("The topic's key."))
    # A declared field, not Field.label: DRF's metaclass takes it out of the class.
    label = serializers.CharField(help_text=_("The topic's name, in the request's language."))  # type: ignore[assignment]
    reviews = serializers.IntegerField(help_text=_("Counted reviews published in the month tagged with the topic."))
    share = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        min_value=0,
        max_value=100,
        help_text=_(
            "Those reviews per tagged review of the month, in percent; null without tagged reviews. A review "
            "may speak of several topics: a month's shares may add up to more than 100."
        ),
    )
    average_rating = serializers.DecimalField(
        source="average",
        max_digits=3,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        min_value=1,
        max_value=5,
        help_text=_("The mean rating of those reviews, two decimals; null without any."),
    )
    negated = serializers.IntegerField(
        help_text=_('Of those, the reviews where the topic followed a negation ("not comfortable").')
    )


class TopicMonthSerializer(serializers.Serializer):
    """Reads a topics.figures.TopicMonth."""

    month = serializers.CharField(source="key", help_text=_("The month, as YYYY-MM."))
    tagged_reviews = serializers.IntegerField(
        source="counts.tagged",
        help_text=_("Counted reviews published in the month (within the period) that carry at least one topic."),
    )
    topics = TopicFigureSerializer(source="counts.figures", many=True, help_text=_("Every topic, in a fixed order."))
