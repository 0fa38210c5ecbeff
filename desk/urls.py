from __future__ import annotations

from django.urls import path

from desk.views import approvals, care, kpis, moderation, notices, photo_takedown, products, topic_phrases
from desk.views import topics as topic_views
from desk.views.common import page_with_forms

# Pages whose forms post to the page itself (desk.views.common.page_with_forms): a refused
# submission re-renders there. The actions keep their own routes below as well.
notice_page = page_with_forms(
    notices.notice_detail,
    {
        "acknowledge": notices.notice_acknowledge,
        "assign": notices.notice_assign,
        "comment": notices.notice_comment,
        "improvement": notices.notice_improvement,
        "improvement_approve": notices.notice_improvement_request_approve,
        "improvement_reject": notices.notice_improvement_request_reject,
    },
)
improvement_requests_page = page_with_forms(
    approvals.improvement_requests,
    {
        "approve": approvals.improvement_requests_approve_from_page,
        "reject": approvals.improvement_requests_reject_from_page,
    },
)
moderation_page = page_with_forms(
    moderation.moderation_queue,
    {"decide": moderation.moderation_decide, "burst": moderation.moderation_burst_decide_from_page},
)
care_case_page = page_with_forms(
    care.care_case_view,
    {
        "take": care.care_case_take,
        "assign": care.care_case_assign,
        "message": care.care_case_message,
        "close": care.care_case_close,
    },
)

topic_phrases_page = page_with_forms(
    topic_phrases.topic_phrases, {"remove": topic_phrases.topic_phrase_delete_from_page}
)

app_name = "desk"

urlpatterns = [
    path("", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notice_page, name="notice"),
    path("notices/<int:pk>/acknowledge/", notices.notice_acknowledge, name="notice_acknowledge"),
    path("notices/<int:pk>/assign/", notices.notice_assign, name="notice_assign"),
    path("notices/<int:pk>/comments/", notices.notice_comment, name="notice_comment"),
    path("notices/<int:pk>/improvement/", notices.notice_improvement, name="notice_improvement"),
    path("improvements/requests/", improvement_requests_page, name="improvement_requests"),
    path(
        "improvements/requests/<int:pk>/approve/",
        approvals.improvement_request_approve_view,
        name="improvement_request_approve",
    ),
    path(
        "improvements/requests/<int:pk>/reject/",
        approvals.improvement_request_reject_view,
        name="improvement_request_reject",
    ),
    path("products/", products.product_list, name="products"),
    path("products/<sku:sku>/reviews/", products.product_reviews, name="product_reviews"),
    path("reviews/<int:pk>/reply/", products.review_reply, name="review_reply"),
    path("moderation/", moderation_page, name="moderation"),
    path("moderation/decide/", moderation.moderation_decide, name="moderation_decide"),
    path(
        "moderation/bursts/<int:product_id>/",
        moderation.moderation_burst_decide,
        name="moderation_burst_decide",
    ),
    path(
        "moderation/photos/<int:pk>/remove/",
        photo_takedown.moderation_photo_remove_view,
        name="moderation_photo_remove",
    ),
    path("care/", care.care_queue_view, name="care_queue"),
    path("care/<int:pk>/", care_case_page, name="care_case"),
    path("care/<int:pk>/take/", care.care_case_take, name="care_case_take"),
    path("care/<int:pk>/assign/", care.care_case_assign, name="care_case_assign"),
    path("care/<int:pk>/message/", care.care_case_message, name="care_case_message"),
    path("care/<int:pk>/close/", care.care_case_close, name="care_case_close"),
    path("kpis/", kpis.kpis, name="kpis"),
    path("kpis.csv", kpis.kpis_csv, name="kpis_csv"),
    path("topics/phrases/", topic_phrases_page, name="topic_phrases"),
    path("topics/phrases/<int:pk>/delete/", topic_phrases.topic_phrase_delete, name="topic_phrase_delete"),
    path("topics/", topic_views.topic_figures, name="topics"),
]
