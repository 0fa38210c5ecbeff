from __future__ import annotations

from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/acknowledge/", views.notice_acknowledge, name="notice_acknowledge"),
    path("notices/<int:pk>/assign/", views.notice_assign, name="notice_assign"),
    path("notices/<int:pk>/comments/", views.notice_comment, name="notice_comment"),
    path("notices/<int:pk>/improvement/", views.notice_improvement, name="notice_improvement"),
    path("products/", views.product_list, name="products"),
    path("products/<str:sku>/reviews/", views.product_reviews, name="product_reviews"),
    path("reviews/<int:pk>/reply/", views.review_reply, name="review_reply"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/decide/", views.moderation_decide, name="moderation_decide"),
    path("kpis/", views.kpis, name="kpis"),
    path("kpis.csv", views.kpis_csv, name="kpis_csv"),
]
