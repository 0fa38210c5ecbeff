"""`make run`'s supervisor (devtools/run.py): links on the site's own port, and one clean stop
of every process on Ctrl-C or SIGTERM (issue 18, item 13)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.run import DEMO_SETTINGS, site_commands, site_url

ROOT = Path(__file__).resolve().parents[2]
_DEMO_NAMES = {"HOST", "SITE_URL", "MAKEFLAGS", "DEBUG", "SECRET_KEY", *DEMO_SETTINGS}


@pytest.mark.parametrize(
    ("host", "port", "environ", "expected"),
    [
        ("127.0.0.1", 8100, {}, "http://127.0.0.1:8100"),
        ("127.0.0.1", 8100, {"SITE_URL": ""}, "http://127.0.0.1:8100"),
        ("0.0.0.0", 8100, {}, "http://127.0.0.1:8100"),  # noqa: S104 - a listening address, mapped away
        ("::", 8100, {}, "http://[::1]:8100"),
        ("::1", 8001, {}, "http://[::1]:8001"),
        ("127.0.0.1", 8100, {"SITE_URL": "https://shop.example"}, "https://shop.example"),
    ],
)
def test_emails_link_to_the_site_being_run_unless_site_url_is_set(
    host: str, port: int, environ: dict[str, str], expected: str
) -> None:
    assert site_url(host=host, port=port, environ=environ) == expected


def test_make_run_hands_host_and_port_to_the_supervisor() -> None:
    env = {name: value for name, value in os.environ.items() if name not in {"HOST", "SITE_URL", "MAKEFLAGS"}}
    env["PORT"] = "8100"
    recipe = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "exec .venv/bin/python -m devtools.run --host 127.0.0.1 --port 8100" in recipe.stdout
    assert "kill 0" not in recipe.stdout


def test_the_seed_writes_its_emails_links_to_the_same_port() -> None:
    # The demo's seed queues emails (the gate's notices) before the site starts: their links
    # must point where the site will run, not at the default port, signed with the site's key.
    env = {name: value for name, value in os.environ.items() if name not in {"HOST", "SITE_URL", "MAKEFLAGS"}}
    env["PORT"] = "8100"
    recipe = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    commands = [line for line in recipe.stdout.splitlines() if not line.startswith("#")]
    seed = next(line for line in commands if "seed_demo" in line)
    migrate = next(line for line in commands if "migrate" in line)
    for line in (seed, migrate):
        assert line.startswith(".venv/bin/python -m devtools.run --host 127.0.0.1 --port 8100 --exec ")
    printed = subprocess.run(
        [sys.executable, "-m", "devtools.run", "--host", "0.0.0.0", "--port", "8100", "--print-site-url"],  # noqa: S104
        cwd=ROOT,
        env={name: value for name, value in env.items() if name != "SITE_URL"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == "http://127.0.0.1:8100"


def test_the_seed_and_the_site_share_the_demo_environment(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name not in _DEMO_NAMES}
    env["REVIEWGATE_VAR_DIR"] = str(tmp_path)
    show = "import os, sys; print(' '.join(os.environ.get(n, '-') for n in sys.argv[1:]))"
    names = ["SITE_URL", "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECRET_KEY"]

    def seen() -> list[str]:
        command = [sys.executable, "-m", "devtools.run", "--port", "8100", "--exec", sys.executable, "-c", show]
        ran = subprocess.run([*command, *names], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        return ran.stdout.split()

    first, second = seen(), seen()
    assert first[:4] == ["http://127.0.0.1:8100", "0", "0", "0"]
    assert len(first[4]) >= 50 and first[4] == second[4]  # generated once, kept for the next run
    assert first[4] == (tmp_path / "demo-secret-key").read_text()
    env["DEBUG"] = "1"  # the environment wins
    assert seen()[1] == "1"


def test_the_site_runs_under_the_autoreloader_and_is_stopped_as_a_group() -> None:
    names = {command.name: command for command in site_commands(python="py", host="h", port=1)}
    assert names["site"].argv[-2:] == ["runserver", "h:1"] and names["site"].signal_group
    assert not names["worker"].signal_group  # the worker stops its own pool children


def test_the_one_worker_consumes_every_named_queue() -> None:
    """`make run` has a single worker: it must take the gate's, the emails' and the webhooks'
    tasks too, or they would wait in their queues for a worker that never comes."""
    from django.conf import settings

    worker = {command.name: command for command in site_commands(python="py", host="h", port=1)}["worker"]
    queues = [arg.removeprefix("--queues=") for arg in worker.argv if arg.startswith("--queues=")]
    assert len(queues) == 1
    assert sorted(queues[0].split(",")) == sorted(settings.WORKER_QUEUES) == ["default", "email", "gate", "webhooks"]


# --- The stop, with stand-in processes ------------------------------------------------------
# Each writes its pid (and a child's: a process group of two, like runserver's reloader) and
# logs one line per SIGTERM it receives; "stubborn" ignores SIGTERM until killed.
_CHILD = textwrap.dedent(
    """
    import os, signal, subprocess, sys, time
    name, folder, stubborn = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    def on_term(signum, frame):
        print(f"{name}: shutting down", flush=True)
        if not stubborn:
            helper.terminate()
            sys.exit(0)
    signal.signal(signal.SIGTERM, on_term)
    with open(os.path.join(folder, name), "w") as f:
        f.write(f"{os.getpid()} {helper.pid}")
    while True:
        time.sleep(0.05)
    """
)
_DRIVER = textwrap.dedent(
    """
    import sys
    from devtools.run import Command, Supervisor
    folder, child = sys.argv[1], sys.argv[2]
    commands = [
        Command(name, [sys.executable, "-c", child, name, folder, stubborn], signal_group=group)
        for name, stubborn, group in (("site", "0", True), ("worker", "0", False), ("beat", "1", False))
    ]
    sys.exit(Supervisor(commands, grace=1.5).run())
    """
)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


@pytest.fixture
def supervised(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], list[int]]]:
    supervisor = subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(tmp_path), _CHILD],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a terminal of its own: its Ctrl-C goes to this group
    )
    deadline = time.monotonic() + 20
    while len(list(tmp_path.iterdir())) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(pid) for path in tmp_path.iterdir() for pid in path.read_text().split()]
    assert len(pids) == 6, "the stand-ins did not start"
    yield supervisor, pids
    for pid in pids:  # whatever a failed test left behind
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    if supervisor.poll() is None:
        supervisor.kill()
        supervisor.wait()


@pytest.mark.parametrize("stop", ["sigterm to the supervisor", "ctrl-c in its terminal"])
def test_one_signal_stops_every_process_once_and_kills_what_stays(
    supervised: tuple[subprocess.Popen[str], list[int]], stop: str
) -> None:
    supervisor, pids = supervised
    started = time.monotonic()
    if stop == "sigterm to the supervisor":
        supervisor.send_signal(signal.SIGTERM)
    else:  # the terminal signals its foreground group: the supervisor (and make), not the children
        os.killpg(supervisor.pid, signal.SIGINT)
    output, _ = supervisor.communicate(timeout=10)

    assert supervisor.returncode == 0, output
    assert time.monotonic() - started < 5
    assert not [pid for pid in pids if _alive(pid)], output
    for name in ("site", "worker", "beat"):
        assert output.count(f"{name}: shutting down") == 1, output
    assert output.count("Stopping") == 1
    assert "Killing beat: still running after 1.5 s." in output


# --- The stop, with the real site, worker and beat -------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.mark.slow
def test_sigterm_stops_the_real_site_worker_and_beat_together(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "REVIEWGATE_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://localhost//",
        "DEBUG": "1",
    }
    env.pop("SITE_URL", None)
    log = tmp_path / "run.log"
    with log.open("w") as out:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "devtools.run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/schema/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the site did not answer: {log.read_text()[-2000:]}")
        while "ready" not in log.read_text() and time.monotonic() < deadline:  # the worker's "celery@… ready."
            time.sleep(0.5)
        everyone = _descendants(supervisor.pid)
        assert len(everyone) >= 5, everyone  # runserver and its server, worker and its 2 pool children, beat

        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=15)
        time.sleep(0.5)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    text = log.read_text()
    assert supervisor.returncode == 0, text[-3000:]
    assert not [pid for pid in everyone if _alive(pid)], text[-3000:]
    assert len(re.findall(r"Warm shutdown", text)) == 1, text[-3000:]
    assert f"emails link to http://127.0.0.1:{port}" in text
    assert "Killing" not in text


def test_the_demo_answers_an_unknown_address_with_the_sites_own_404(tmp_path: Path) -> None:
    """What `make run` serves (devtools.run with its demo environment, DEBUG not set): the
    styled error page in the site's layout, its stylesheet served, and no HTTPS redirect."""
    port = _free_port()
    env = {name: value for name, value in os.environ.items() if name not in _DEMO_NAMES}
    env |= {
        "REVIEWGATE_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://localhost//",
    }
    log = tmp_path / "run.log"
    with log.open("w") as out:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "devtools.run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/schema/", timeout=5)  # noqa: S310 - http://127.0.0.1
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the site did not answer: {log.read_text()[-2000:]}")
                time.sleep(0.5)
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"{base}/no-such-page/", timeout=10)  # noqa: S310
        page = answer.value.read().decode()
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
        assert stylesheet, page[:2000]
        css = urllib.request.urlopen(base + stylesheet.group(1), timeout=10)  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as refused:  # a form sent without its CSRF cookie
            urllib.request.urlopen(f"{base}/accounts/login/", data=b"username=a&password=b", timeout=10)  # noqa: S310
        refused_page = refused.value.read().decode()
    finally:
        supervisor.send_signal(signal.SIGTERM)
        try:
            supervisor.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait()
    assert answer.value.code == 404
    assert answer.value.url == f"{base}/no-such-page/"  # not sent to https://
    assert "<h1>Page not found</h1>" in page and '<html lang="en"' in page
    assert "Using the URLconf" not in page and "DEBUG = True" not in page  # not Django's technical 404
    assert css.status == 200 and "text/css" in css.headers["Content-Type"]
    assert refused.value.code == 403 and "<h1>Form not sent</h1>" in refused_page
    assert "CSRF verification failed" not in refused_page  # not Django's technical 403
