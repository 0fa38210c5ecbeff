"""Admin of the topics: teams are edited here (by an administrator); the phrase lists are the
quality directors' (desk pages), so the admin only lists them, with the tags and digests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.read_only_admin import ReadOnlyAdmin
from topics.models import ReviewTopic, Team, TeamDigest, TopicPhrase
from topics.teams import TeamInterest

TEAM_NAMES_NOTHING = _(
    "Choose at least one topic or one category: a team that names neither would receive every review of the shop."
)


class TeamForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Team
        fields = ["name", "members", "topics", "categories"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        interest = TeamInterest(
            topic_keys=frozenset(topic.key for topic in cleaned.get("topics") or []),
            category_ids=frozenset(category.pk for category in cleaned.get("categories") or []),
        )
        if not interest.subscribes:
            raise forms.ValidationError(TEAM_NAMES_NOTHING, code="team_names_nothing")
        return cleaned


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = TeamForm
    list_display = ("name", "created_at")
    search_fields = ("name",)
    filter_horizontal = ("members", "topics", "categories")


@admin.register(TopicPhrase)
class TopicPhraseAdmin(ReadOnlyAdmin):
    list_display = ("phrase", "topic", "language", "stems", "created_by", "created_at")
    list_filter = ("topic", "language")
    search_fields = ("phrase",)


@admin.register(ReviewTopic)
class ReviewTopicAdmin(ReadOnlyAdmin):
    list_display = ("review", "topic", "phrase", "matched", "negated", "tagged_at")
    list_filter = ("topic", "negated")
    list_select_related = ("topic", "phrase")
    raw_id_fields = ("review",)


@admin.register(TeamDigest)
class TeamDigestAdmin(ReadOnlyAdmin):
    list_display = ("user", "day", "review_count", "written_at")
    list_filter = ("day",)
    list_select_related = ("user",)
