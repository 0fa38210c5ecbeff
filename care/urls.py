from __future__ import annotations

from django.urls import path

from care import thanks_views, views

urlpatterns = [
    # The reply link of a care email (care.links): the token is the credential.
    path("care/reply/<str:token>/", views.care_reply, name="care_reply"),
    path("thanks/unsubscribe/<str:token>/", thanks_views.thanks_unsubscribe, name="thanks_unsubscribe"),
]
