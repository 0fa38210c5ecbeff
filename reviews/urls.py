from __future__ import annotations

from django.urls import path

from reviews import invitations, photo_views, views

urlpatterns = [
    path("products/<sku:sku>/review/", views.review_create, name="review_create"),
    path("reviews/mine/", views.review_mine, name="review_mine"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/delete/", views.review_delete, name="review_delete"),
    path("reviews/<int:pk>/vote/", views.review_vote, name="review_vote"),
    path("reviews/<int:pk>/report/", views.review_report, name="review_report"),
    # A review photo's file, if the review may be seen (reviews.photo_views).
    path("reviews/photos/<int:pk>/<str:size>/", photo_views.review_photo, name="review_photo"),
    # The links of an invitation email (orders.links): the token is the credential.
    path("invitations/<str:token>/", invitations.invitation_review, name="invitation_review"),
    path("unsubscribe/<str:token>/", invitations.invitation_unsubscribe, name="invitation_unsubscribe"),
]
