from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_done, name="signup_done"),
    # Confirming the address: the emailed link, and the page that sends it again.
    path("email/confirm/", views.email_verify_send, name="email_verify_send"),
    path("email/confirm/<str:token>/", views.email_verify_view, name="email_verify"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.language_set, name="language_set"),
    # Forgotten password: ask, "sent", the emailed link (Django moves its token into the
    # session and redirects, so it never stays in the address bar or a Referer), done.
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # A signed-in user's new password (both pages require signing in).
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
