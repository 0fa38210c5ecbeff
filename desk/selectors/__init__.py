"""Reads of the product manager's desk, one module per seam:

* ``scope``: the policy and day, and the products, categories and managers a user may act on;
* ``notices``: notices with the gate's figures now, a notice's comments, audit, events and chart;
* ``reviews``: the star histogram, the complaint phrases and the reviews they point to;
* ``loop``: closing the loop (an improvement's addressed phrases, before and after);
* ``moderation``: the moderation queue (held bursts of reviews included);
* ``kpis``: the facts behind the key figures.

Nothing here writes. Every read that takes a user returns only what that user may act
on: a product manager sees the products they manage, a quality director every product.
This module gathers the public reads, so a caller writes ``selectors.notice_rows(...)``.
"""

from __future__ import annotations

from desk.selectors.kpis import KPI_GROUPS, Elapsed, KpiFacts, kpi_facts, kpi_product_groups
from desk.selectors.loop import LoopRow, LoopSummary, closing_the_loop
from desk.selectors.moderation import (
    BURST_REVIEWS_SHOWN,
    HeldBurst,
    moderation_burst_review_ids,
    moderation_bursts,
    moderation_left_to_others,
    moderation_pending,
    moderation_reported,
)
from desk.selectors.notices import (
    AUDIT_ENTRIES_SHOWN,
    CHART_DAYS_BEFORE_FLAG,
    MAX_CHART_DAYS,
    NoticeFigures,
    NoticeRow,
    desk_notice_get,
    desk_notice_list,
    notice_analysed_revision,
    notice_chart_range,
    notice_comments,
    notice_figures,
    notice_rows,
    product_audit,
    product_chart_days,
    product_chart_events,
    product_current_figures,
    product_gate_events,
)
from desk.selectors.reviews import (
    REFERENCE_REVIEWS,
    REVIEW_ORDER,
    desk_review_get,
    desk_review_list,
    product_complaint_phrases,
    reference_texts,
    review_histogram,
    review_text,
    review_texts,
)
from desk.selectors.scope import (
    desk_categories,
    desk_managers,
    desk_policy,
    desk_product_get,
    desk_product_summaries,
    desk_products,
    desk_today,
    withdrawal_notice_for_product,
)

__all__ = [
    "AUDIT_ENTRIES_SHOWN",
    "BURST_REVIEWS_SHOWN",
    "CHART_DAYS_BEFORE_FLAG",
    "KPI_GROUPS",
    "MAX_CHART_DAYS",
    "REFERENCE_REVIEWS",
    "REVIEW_ORDER",
    "Elapsed",
    "HeldBurst",
    "KpiFacts",
    "LoopRow",
    "LoopSummary",
    "NoticeFigures",
    "NoticeRow",
    "closing_the_loop",
    "desk_categories",
    "desk_managers",
    "desk_notice_get",
    "desk_notice_list",
    "desk_policy",
    "desk_product_get",
    "desk_product_summaries",
    "desk_products",
    "desk_review_get",
    "desk_review_list",
    "desk_today",
    "kpi_facts",
    "kpi_product_groups",
    "moderation_burst_review_ids",
    "moderation_bursts",
    "moderation_left_to_others",
    "moderation_pending",
    "moderation_reported",
    "notice_analysed_revision",
    "notice_chart_range",
    "notice_comments",
    "notice_figures",
    "notice_rows",
    "product_audit",
    "product_chart_days",
    "product_chart_events",
    "product_complaint_phrases",
    "product_current_figures",
    "product_gate_events",
    "reference_texts",
    "review_histogram",
    "review_text",
    "review_texts",
    "withdrawal_notice_for_product",
]
