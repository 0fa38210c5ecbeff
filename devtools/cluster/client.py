"""A person at the site, through the load balancer: a requests.Session keeps their cookies
(the session, CSRF and the read-your-writes `rg_wal_lsn` cookie), as a browser would."""

from __future__ import annotations

from typing import Any

import requests

TIMEOUT = 15
REVIEW_BODY = "Comfortable from the first day; after three weeks of daily walks it still looks new."


class SiteError(RuntimeError):
    pass


class Visitor:
    def __init__(self, base: str, name: str = "anonymous") -> None:
        self.base = base.rstrip("/")
        self.name = name
        self.http = requests.Session()
        self.http.headers["Accept"] = "application/json"
        self.echoed_request_id = ""

    def _check(self, response: requests.Response, *expected: int) -> requests.Response:
        if response.status_code not in expected:
            raise SiteError(
                f"{self.name}: {response.request.method} {response.url} answered {response.status_code}: "
                f"{response.text[:300]}"
            )
        return response

    def get(self, path: str, *expected: int) -> requests.Response:
        return self._check(self.http.get(self.base + path, timeout=TIMEOUT), *(expected or (200,)))

    def _post_json(self, path: str, data: dict[str, Any], *expected: int, request_id: str = "") -> Any:
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken") or "", "Referer": self.base + "/"}
        if request_id:
            headers["X-Request-ID"] = request_id
        response = self.http.post(self.base + path, json=data, headers=headers, timeout=TIMEOUT)
        self.echoed_request_id = response.headers.get("X-Request-ID", "")
        return self._check(response, *expected).json()

    # --- signing in ------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> None:
        self.name = username
        self.get("/accounts/login/")  # sets the csrftoken cookie
        response = self.http.post(
            self.base + "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": self.http.cookies["csrftoken"]},
            headers={"Referer": self.base + "/accounts/login/", "Accept": "text/html"},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if response.status_code != 302 or "sessionid" not in self.http.cookies:
            raise SiteError(f"{username} could not sign in: {response.status_code}")

    def sign_out(self) -> None:
        """Signs out, keeping the browser's other cookies (rg_wal_lsn among them): the
        visitor's reads are then an anonymous visitor's, routed by the cookie alone."""
        token = self.http.cookies.get("csrftoken") or ""
        response = self.http.post(
            self.base + "/accounts/logout/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": self.base + "/", "Accept": "text/html"},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if response.status_code not in (200, 302) or "sessionid" in self.http.cookies:
            raise SiteError(f"{self.name} could not sign out: {response.status_code}")

    # --- writes ----------------------------------------------------------------------------
    def review_post(self, sku: str, *, rating: int, title: str, request_id: str = "") -> int:
        data = {"rating": rating, "title": title, "body": REVIEW_BODY, "language": "en"}
        return int(self._post_json(f"/api/v1/products/{sku}/reviews/", data, 201, request_id=request_id)["id"])

    def vote(self, review_id: int, *, helpful: bool = True) -> int:
        answer = self._post_json(f"/api/v1/reviews/{review_id}/votes/", {"helpful": helpful}, 200)
        return int(answer["helpful_yes"])

    def improvement_log(self, sku: str, description: str) -> int:
        answer = self._post_json(f"/api/v1/products/{sku}/improvements/", {"description": description}, 201)
        return int(answer.get("revision", 0))

    # --- reads (API GETs: the replica's, unless the cookie says it is behind) ------------------
    def review_ids(self, sku: str) -> set[int]:
        answer = self.get(f"/api/v1/products/{sku}/reviews/?page_size=100").json()
        return {int(r["id"]) for r in answer["results"]}

    def helpful_yes(self, review_id: int) -> int:
        return int(self.get(f"/api/v1/reviews/{review_id}/").json()["helpful_yes"])

    def product_revision(self, sku: str) -> int:
        return int(self.get(f"/api/v1/products/{sku}/").json()["revision"])

    def readyz(self) -> tuple[int, dict[str, Any]]:
        response = self.http.get(self.base + "/readyz", timeout=TIMEOUT)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"body": response.text[:200]}
