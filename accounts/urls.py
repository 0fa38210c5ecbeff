from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.language_set, name="language_set"),
]
