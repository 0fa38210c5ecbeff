"""How many proxies in front of the web servers append to X-Forwarded-For (TRUSTED_PROXY_COUNT).

One number for every use of the client's address: the site's limits, the API's throttles
and /metrics' allow-list (core.ratelimit.client_address). Before it, only the API's
throttles looked past the proxy, with DRF's NUM_PROXIES read from API_NUM_PROXIES when
BEHIND_TLS_PROXY was on; a deployment that still sets only those keeps the same count
(now for the site's limits too). Both set and different: refused at start-up, since one of
them would be silently ignored.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int


def _is_set(name: str) -> bool:
    return bool(os.environ.get(name, "").strip())


def trusted_proxy_count() -> int:
    """TRUSTED_PROXY_COUNT from the environment (default 0), else the legacy pair's count."""
    behind_proxy = env_bool("BEHIND_TLS_PROXY", False)
    legacy = env_int("API_NUM_PROXIES", 1) if behind_proxy else 0
    if not _is_set("TRUSTED_PROXY_COUNT"):
        count = legacy
    else:
        count = env_int("TRUSTED_PROXY_COUNT", 0)
        if behind_proxy and _is_set("API_NUM_PROXIES") and legacy != count:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXY_COUNT={count} and API_NUM_PROXIES={legacy} disagree: API_NUM_PROXIES is "
                "replaced by TRUSTED_PROXY_COUNT (docs/deploy.md); remove it"
            )
    if count < 0:
        raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, got {count}")
    return count
