"""Clients acting as a user: on the site (a signed-in session) and through the API (a key
holding `read` and `write`, as an integrator would)."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from apikeys.services import api_key_create


def site_as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user: User) -> APIClient:
    key = api_key_create(name="shop", owner=user, scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.plaintext}")
    return client
