"""Gunicorn run as docs/logging.md says (``-c config/gunicorn.py``, LOG_FORMAT=json):
every line on its stderr is one JSON object, gunicorn's own lines included, and its access
line and Django's line for a request carry the id the answer echoed, without the query string."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.integration.faults.processes import free_port, process_stop, wait_until

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _get(url: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310  # our own server on 127.0.0.1
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers["X-Request-ID"]
    except urllib.error.HTTPError as error:
        return error.code, error.headers["X-Request-ID"]


def test_gunicorn_and_the_app_write_only_json_lines_carrying_the_request_id(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        # A 404 touches no table: an empty database of its own is enough.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REVIEWGATE_VAR_DIR": str(tmp_path / "var"),
        # Plain static names: no collectstatic here, whose absence the manifest storage logs.
        "STATIC_MANIFEST": "0",
    }
    stderr_path = tmp_path / "gunicorn.err"
    with stderr_path.open("wb") as stderr:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.py", "-b", f"127.0.0.1:{port}", "-w", "1", "config.wsgi"],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    try:
        wait_until(lambda: "Booting worker" in stderr_path.read_text(), timeout=30, what="gunicorn to boot")
        url = f"http://127.0.0.1:{port}/no-such-page/?token=secret-token"
        status, echoed = wait_until(lambda: _get(url, {"X-Request-ID": "edge-9"}), timeout=30, what="an answer")
        assert (status, echoed) == (404, "edge-9")
        wait_until(lambda: "gunicorn.access" in stderr_path.read_text(), timeout=10, what="the access line")
    finally:
        process_stop(server)

    text = stderr_path.read_text()
    lines = [json.loads(line) for line in text.splitlines()]  # any other line fails here
    loggers = {line["logger"] for line in lines}
    assert {"gunicorn.error", "gunicorn.access", "django.request"} <= loggers
    for_request = [line for line in lines if line["request_id"] == "edge-9"]
    assert {line["logger"] for line in for_request} == {"gunicorn.access", "django.request"}
    (access,) = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert '"GET /no-such-page/" 404' in access["message"]
    assert access["message"].endswith(" edge-9")
    assert "secret-token" not in text
