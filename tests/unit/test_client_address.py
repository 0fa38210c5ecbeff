"""The client's address behind trusted proxies (core.client_address): the entry that many
from the right of X-Forwarded-For, never one the client wrote; and TRUSTED_PROXY_COUNT read
from the environment, the old API_NUM_PROXIES/BEHIND_TLS_PROXY still counting."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.proxies import trusted_proxy_count
from core.client_address import forwarded_client_address

PROXY = "10.0.0.2"  # REMOTE_ADDR: the load balancer the web server sees


@pytest.mark.parametrize(
    ("forwarded_for", "trusted", "expected"),
    [
        # No proxy trusted: the header is the client's own words.
        ("203.0.113.7", 0, PROXY),
        # One proxy: the entry it appended (the rightmost), whatever the client put before it.
        ("198.51.100.4", 1, "198.51.100.4"),
        ("1.1.1.1, 198.51.100.4", 1, "198.51.100.4"),
        ("1.1.1.1,2.2.2.2,  198.51.100.4 ", 1, "198.51.100.4"),
        # Two proxies (a CDN, then the load balancer): second from the right.
        ("6.6.6.6, 198.51.100.4, 192.0.2.9", 2, "198.51.100.4"),
        # Fewer entries than proxies: the request did not come through all of them, and the
        # leftmost entry may be forged: the connection's address.
        ("198.51.100.4", 2, PROXY),
        ("", 1, PROXY),
        (None, 1, PROXY),
        # Garbage where an address should be: the connection's address, never the text.
        ("1.1.1.1, not-an-address", 1, PROXY),
        ("1.1.1.1, 198.51.100.4:5555", 1, PROXY),
        ("1.1.1.1, ", 1, PROXY),
        ("unknown, 198.51.100.4, ", 2, "198.51.100.4"),
        # IPv6, normalised, so that two spellings of one address share one budget.
        ("2001:db8:0:0::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_trusted_proxies_appended(
    forwarded_for: str | None, trusted: int, expected: str
) -> None:
    assert forwarded_client_address(PROXY, forwarded_for, trusted_proxies=trusted) == expected


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("TRUSTED_PROXY_COUNT", "API_NUM_PROXIES", "BEHIND_TLS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, 0),
        ({"TRUSTED_PROXY_COUNT": "1"}, 1),
        ({"TRUSTED_PROXY_COUNT": "2", "BEHIND_TLS_PROXY": "1"}, 2),
        # The old pair, unchanged: one proxy behind TLS, or API_NUM_PROXIES of them.
        ({"BEHIND_TLS_PROXY": "1"}, 1),
        ({"BEHIND_TLS_PROXY": "1", "API_NUM_PROXIES": "2"}, 2),
        ({"API_NUM_PROXIES": "2"}, 0),  # as before: ignored without BEHIND_TLS_PROXY
        ({"TRUSTED_PROXY_COUNT": "2", "BEHIND_TLS_PROXY": "1", "API_NUM_PROXIES": "2"}, 2),
    ],
)
def test_trusted_proxy_count_from_the_environment(
    clean_environ: pytest.MonkeyPatch, environ: dict[str, str], expected: int
) -> None:
    for name, value in environ.items():
        clean_environ.setenv(name, value)
    assert trusted_proxy_count() == expected


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TRUSTED_PROXY_COUNT": "-1"}, "0 or more"),
        ({"TRUSTED_PROXY_COUNT": "one"}, "must be an integer"),
        ({"TRUSTED_PROXY_COUNT": "1", "BEHIND_TLS_PROXY": "1", "API_NUM_PROXIES": "2"}, "disagree"),
    ],
)
def test_a_wrong_proxy_count_stops_start_up(
    clean_environ: pytest.MonkeyPatch, environ: dict[str, str], message: str
) -> None:
    for name, value in environ.items():
        clean_environ.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        trusted_proxy_count()
