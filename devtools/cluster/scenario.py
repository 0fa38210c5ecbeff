"""The cluster test's story: posts read back at once (replica live, then paused), the gate's
day with a web server and the gate's worker killed, the outbox drained, and the checks."""

from __future__ import annotations

import json
import secrets
import sys
import threading
import time
from datetime import date
from typing import Any

from devtools.cluster import postgres
from devtools.cluster.checks import (
    Figures,
    OutboxRow,
    Verdicts,
    figure_mismatches,
    outbox_problems,
    repeated_event_ids,
    unseen_event_ids,
    until,
)
from devtools.cluster.client import SiteError, Visitor
from devtools.cluster.haproxy import server_states
from devtools.cluster.processes import log, run
from devtools.cluster.stack import REPO, WORKER_A_QUEUES, Stack

READ_YOUR_WRITES_COOKIE = "rg_wal_lsn"
OUTBOX_DEADLINE_SECONDS = 120


class Scenario:
    def __init__(self, stack: Stack, verdicts: Verdicts) -> None:
        self.stack = stack
        self.v = verdicts
        self.shoppers: list[Visitor] = []
        self.anonymous = Visitor(stack.base)
        self.request_id = "cluster-" + secrets.token_hex(8)
        self.request_id_echoed: str | None = None
        self.last_readyz: dict[str, Any] = {}
        self.posted: list[int] = []

    # --- helpers ---------------------------------------------------------------------------
    def _primary_rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        assert self.stack.primary
        with self.stack.primary.admin() as conn:
            return list(conn.execute(sql, params or []).fetchall())

    def _readyz(self) -> dict[str, Any]:
        """/readyz through HAProxy: its JSON and, under "http", the status code."""
        status, body = self.anonymous.readyz()
        return {"http": status, **body}

    @staticmethod
    def _check_name(body: dict[str, Any], name: str) -> dict[str, Any]:
        checks = body.get("checks") or {}
        return checks.get(name) or {}

    # --- 1. posts, read back at once -------------------------------------------------------
    def sign_in(self) -> None:
        seeded = self.stack.seeded
        for username in seeded["shoppers"]:
            visitor = Visitor(self.stack.base)
            visitor.sign_in(username, self.stack.password)
            self.shoppers.append(visitor)
        self.manager = Visitor(self.stack.base)
        self.manager.sign_in(seeded["manager"], self.stack.password)
        log(f"signed in: {', '.join(seeded['shoppers'])} and {seeded['manager']} (through HAProxy)")

    def posts(self, *, sku: str, authors: list[Visitor], voters: list[Visitor], paused: bool) -> None:
        """Each author posts a review and sees it at once; another shopper votes it helpful
        and sees the vote at once. While replay is paused, the anonymous reader (no cookie:
        the replica) must not see them: the proof that reads really go to the replica."""
        when = "replay paused" if paused else "replica live"
        posted: list[int] = []
        for author, voter in zip(authors, voters, strict=True):
            # The first post carries a request id of ours: followed into the tasks it queues.
            request_id = "" if self.request_id_echoed is not None else self.request_id
            review_id = author.review_post(sku, rating=4, title=f"Good, by {author.name}", request_id=request_id)
            if request_id:
                self.request_id_echoed = author.echoed_request_id
            seen = review_id in author.review_ids(sku)
            self.v.check(f"{when}: {author.name} sees their review {review_id} at once", seen)
            if paused:
                self.v.check(
                    f"{when}: {author.name} holds the {READ_YOUR_WRITES_COOKIE} cookie after writing",
                    bool(author.http.cookies.get(READ_YOUR_WRITES_COOKIE)),
                )
            yes = voter.vote(review_id, helpful=True)
            seen_yes = voter.helpful_yes(review_id)
            self.v.check(f"{when}: {voter.name} sees their helpful vote at once", seen_yes == yes >= 1,
                         f"answered {yes}, read {seen_yes}")  # fmt: skip
            posted.append(review_id)
        if paused:
            self.signed_out_reads(sku, authors=authors, voters=voters, posted=posted)
            stale = posted and not (set(posted) & self.anonymous.review_ids(sku))
            self.v.check(f"{when}: an anonymous reader is served the stale replica (none of {posted})", bool(stale))
            status = self.anonymous.http.get(f"{self.stack.base}/api/v1/reviews/{posted[0]}/", timeout=15).status_code
            self.v.check(f"{when}: review {posted[0]} is not found by an anonymous reader yet (404)", status == 404,
                         f"answered {status}")  # fmt: skip
        self.posted = posted

    def signed_out_reads(self, sku: str, *, authors: list[Visitor], voters: list[Visitor], posted: list[int]) -> None:
        """Signed in, a visitor reads the primary anyway (docs/read-replica.md); signed out,
        the same browser reads as anyone does, and only its `rg_wal_lsn` cookie keeps it
        on the primary while the replica has not replayed its write."""
        for author, voter, review_id in zip(authors, voters, posted, strict=True):
            author.sign_out()
            seen = review_id in author.review_ids(sku)
            self.v.check(f"replay paused: {author.name}, signed out, still sees their review at once (cookie)", seen)
            voter.sign_out()
            votes = voter.helpful_yes(review_id) if review_id in voter.review_ids(sku) else 0
            self.v.check(f"replay paused: {voter.name}, signed out, still sees their vote at once (cookie)",
                         votes >= 1, f"read {votes}")  # fmt: skip

    def replica_paused_phase(self, sku: str, authors: list[Visitor], voters: list[Visitor]) -> None:
        assert self.stack.replica and self.stack.primary
        postgres.replay_pause(self.stack.replica)
        log("replay paused on the replica (pg_wal_replay_pause)")
        try:
            self.posts(sku=sku, authors=authors, voters=voters, paused=True)
            body = until(lambda: self._paused_readyz(), seconds=10)
            self.v.check("replay paused: /readyz reports the replica paused", bool(body), str(self.last_readyz))
        finally:
            postgres.replay_resume(self.stack.replica)
            log("replay resumed")
        postgres.replica_caught_up(self.stack.primary, self.stack.replica)
        seen = until(lambda: set(self.posted) <= self.anonymous.review_ids(sku), seconds=15)
        self.v.check("replay resumed: the anonymous reader now sees every review posted meanwhile", bool(seen))

    def _paused_readyz(self) -> bool:
        body = self.last_readyz = self._readyz()
        replica = self._check_name(body, "replica")
        return body.get("http") == 200 and replica.get("paused") is True

    # --- 2. the gate's day, with faults ------------------------------------------------------
    def _clock(self) -> date | None:
        rows = self._primary_rows("SELECT last_evaluated_day FROM gate_gateclock WHERE id = 1")
        return rows[0][0] if rows else None

    def _django(self, *args: str) -> str:
        return run([sys.executable, "-m", "devtools.cluster.django_side", *args], env=self.stack.env(), cwd=REPO,
                   log_path=self.stack.root / "logs" / "django_side.log")  # fmt: skip

    def gate_day_with_faults(self) -> None:
        stack = self.stack
        failures: list[str] = []
        served = [0]
        stop = threading.Event()

        def traffic() -> None:  # an anonymous shopper reading all along, through HAProxy
            reader = Visitor(stack.base, "traffic")
            while not stop.is_set():
                try:
                    reader.get("/api/v1/products/CLUSTER-S1/")
                    served[0] += 1
                except Exception as error:
                    failures.append(str(error)[:200])
                time.sleep(0.05)

        reader = threading.Thread(target=traffic, daemon=True)
        reader.start()
        try:
            self._gate_day_killed_mid_run()
            # One web server dies at once (SIGKILL: no goodbye to HAProxy).
            stack.webs["web1"].kill_group()
            log("web1 killed (SIGKILL)")
            down = until(lambda: server_states(stack.stats_socket).get("web1", "").startswith("DOWN"), seconds=5,
                         every=0.1)  # fmt: skip
            self.v.check(
                "HAProxy took the killed web1 out within 5 s", bool(down), str(server_states(stack.stats_socket))
            )
            time.sleep(1.5)
        finally:
            stop.set()
            reader.join(timeout=20)
        self.v.check(f"requests kept succeeding through HAProxy while web1 died ({served[0]} served)",
                     not failures, "; ".join(failures[:3]))  # fmt: skip
        # /readyz reports the gate's queue without a worker (degraded, still 200).
        body = until(lambda: self._gate_workers_failing(), seconds=15)
        self.v.check("/readyz reports workers:gate failing after worker A died (degraded, HTTP 200)", bool(body),
                     str(self.last_readyz))  # fmt: skip
        # The rerun finishes the day; the day killed half-way was rolled back, not half-written.
        output = stack.manage("gate_evaluate")
        log("manage.py gate_evaluate: " + output.strip().splitlines()[-1] if output.strip() else "(no output)")
        self.v.check("after the rerun the gate's clock reached yesterday", self._clock() == self._expected_through(),
                     f"clock {self._clock()}")  # fmt: skip
        duplicates = self._primary_rows(
            "SELECT product_id, day, count(*) FROM gate_gateevent GROUP BY product_id, day, kind HAVING count(*) > 1"
        )
        self.v.check("no gate event written twice", not duplicates, str(duplicates[:3]))
        # A new worker A takes the gate's, default and email queues again (emails queued meanwhile).
        stack.worker("worker-a2", WORKER_A_QUEUES)

    def _gate_day_killed_mid_run(self) -> None:
        """Queues the gate's day on worker A and kills worker A (SIGKILL, pool and all) as
        soon as the gate's clock moves: the first days are committed, months are still to
        go, and the day in progress is rolled back with the worker's connection. The clock
        is watched from before the task is queued (queueing takes a Django start-up, during
        which the worker may already run the first days)."""
        assert self.stack.primary
        first = self._clock()
        seen: dict[str, Any] = {}
        watching = threading.Event()

        def watch() -> None:
            assert self.stack.primary
            with self.stack.primary.admin() as conn:

                def clock() -> date | None:
                    row = conn.execute("SELECT last_evaluated_day FROM gate_gateclock WHERE id = 1").fetchone()
                    return row[0] if row else None

                watching.set()
                seen["moved"] = until(lambda: (clock() or date.min) > (first or date.min), seconds=90, every=0.01)
                self.stack.workers["worker-a"].kill_group()
                seen["at"] = clock()

        watcher = threading.Thread(target=watch, name="gate-clock-watcher", daemon=True)
        watcher.start()
        watching.wait(timeout=10)
        self._django("gate")
        log("gate_evaluate_task queued (worker A: queues " + WORKER_A_QUEUES + ")")
        watcher.join(timeout=100)
        at = seen.get("at")
        log(f"worker A killed (SIGKILL) with the gate's clock at {at}")
        yesterday = self._expected_through()
        self.v.check(
            "worker A was killed mid-day (the gate's clock had moved, not reached yesterday)",
            bool(seen.get("moved")) and at is not None and at < yesterday,
            f"clock {at}, through {yesterday}",
        )

    def _gate_workers_failing(self) -> bool:
        body = self.last_readyz = self._readyz()
        return body.get("http") == 200 and self._check_name(body, "workers:gate").get("status") == "failing"

    def _expected_through(self) -> date:
        rows = self._primary_rows("SELECT (now() AT TIME ZONE 'Europe/Paris')::date - 1")
        return rows[0][0]

    # --- 3. the product manager's improvement -----------------------------------------------
    def improvements(self) -> None:
        stack = self.stack
        assert stack.replica and stack.primary
        bad = stack.seeded["bad_skus"]
        before = self.manager.product_revision(bad[0])
        self.manager.improvement_log(bad[0], "Seams re-taped and the zip replaced after the gate withdrew it.")
        after = self.manager.product_revision(bad[0])
        self.v.check("replica live: the manager sees their improvement at once", after == before + 1,
                     f"revision {before} -> {after}")  # fmt: skip
        postgres.replay_pause(stack.replica)
        try:
            before = self.anonymous.product_revision(bad[1])
            self.manager.improvement_log(bad[1], "Outsole compound changed to a harder rubber (supplier ticket 4411).")
            after = self.manager.product_revision(bad[1])
            self.v.check("replay paused: the manager sees their improvement at once", after == before + 1,
                         f"revision {before} -> {after}")  # fmt: skip
            self.manager.sign_out()
            signed_out = self.manager.product_revision(bad[1])
            self.v.check("replay paused: the manager, signed out, still sees their improvement (cookie)",
                         signed_out == after, f"revision {signed_out}")  # fmt: skip
            stale = self.anonymous.product_revision(bad[1])
            self.v.check("replay paused: an anonymous reader still sees the old revision", stale == before,
                         f"anonymous revision {stale}")  # fmt: skip
        finally:
            postgres.replay_resume(stack.replica)

    # --- 4. outbox, receiver, recount --------------------------------------------------------
    def _outbox(self) -> list[OutboxRow]:
        rows = self._primary_rows(
            "SELECT m.dedupe_key, m.channel, m.status, CASE WHEN m.channel = 'webhook' THEN m.payload->>'id' END, "
            "(SELECT count(*) FROM notifications_deliveryattempt a WHERE a.message_id = m.id AND a.succeeded) "
            "FROM notifications_outboxmessage m ORDER BY m.id"
        )
        return [OutboxRow(*row) for row in rows]

    def outbox_drained(self) -> None:
        receiver = self.stack.receiver
        assert receiver

        def drained() -> bool:
            rows = self._outbox()
            if not outbox_problems(rows) and not unseen_event_ids(rows, receiver.received()):
                return True
            self._django("sweep")
            return False

        ok = until(drained, seconds=OUTBOX_DEADLINE_SECONDS, every=3)
        rows = self._outbox()
        webhooks = [r for r in rows if r.channel == "webhook"]
        emails = [r for r in rows if r.channel == "email"]
        log(f"outbox: {len(webhooks)} webhooks, {len(emails)} emails")
        problems = outbox_problems(rows)
        self.v.check(f"every outbox message ends sent, once (within {OUTBOX_DEADLINE_SECONDS} s)",
                     bool(ok) and not problems, "; ".join(problems[:5]))  # fmt: skip
        events = self._primary_rows("SELECT kind, count(*) FROM gate_gateevent GROUP BY kind ORDER BY kind")
        log(f"gate events: {dict(events)}")
        bad = len(self.stack.seeded["bad_skus"])
        # flagged + withdrawn for each bad product, and the two improvements' events.
        self.v.check(f"the gate's events made webhooks (at least {2 * bad + 2})", len(webhooks) >= 2 * bad + 2,
                     f"{len(webhooks)} webhooks")  # fmt: skip
        unseen = unseen_event_ids(rows, receiver.received())
        self.v.check("the receiver saw every event id (de-duplicated by Reviewgate-Event-Id)", not unseen,
                     f"missing {unseen[:10]}")  # fmt: skip
        self.v.check("every delivery's signature checked out", not receiver.bad_signatures,
                     str(receiver.bad_signatures[:5]))  # fmt: skip
        repeats = repeated_event_ids(receiver.received())
        log(f"deliveries received: {len(receiver.received())}; repeated (allowed, at least once): {repeats or 'none'}")

    def figures_equal_recount(self) -> None:
        stored = {
            sku: Figures(count, total)
            for sku, count, total in self._primary_rows("SELECT sku, current_count, current_sum FROM products_product")
        }
        recount = {
            sku: Figures(count, total)
            for sku, count, total in self._primary_rows(
                "SELECT p.sku, count(r.id), coalesce(sum(r.rating), 0) FROM reviews_review r "
                "JOIN products_product p ON p.id = r.product_id "
                "WHERE r.status = 'published' AND NOT r.employee AND r.revision = p.revision GROUP BY p.sku"
            )
        }
        problems = figure_mismatches(stored, recount)
        self.v.check(f"stored figures equal a recount of the reviews ({len(stored)} products)", not problems,
                     "; ".join(problems[:5]))  # fmt: skip
        all_time = self._primary_rows(
            "SELECT p.sku FROM products_product p LEFT JOIN (SELECT product_id, count(*) n FROM reviews_review "
            "WHERE status = 'published' AND NOT employee GROUP BY product_id) r ON r.product_id = p.id "
            "WHERE p.all_time_count <> coalesce(r.n, 0)"
        )
        self.v.check("all-time counts equal a recount", not all_time, str(all_time[:5]))

    # --- 5. observability: the request id into the tasks, /metrics behind the proxy ------
    def _json_lines_with(self, proc_names: list[str], request_id: str) -> list[dict[str, Any]]:
        found = []
        for proc in self.stack.processes.started:
            if proc.name not in proc_names or not proc.log_path.exists():
                continue
            for line in proc.log_path.read_text(errors="replace").splitlines():
                if request_id in line and line.lstrip().startswith("{"):
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    if record.get("request_id") == request_id:
                        found.append(record)
        return found

    def observability(self) -> None:
        rid = self.request_id
        self.v.check("the web server echoed our X-Request-ID", self.request_id_echoed == rid,
                     f"echoed {self.request_id_echoed!r}")  # fmt: skip
        web_lines = self._json_lines_with(["web1", "web2"], rid)
        self.v.check("a web server's JSON log lines carry the request's id", bool(web_lines))
        task_lines = self._json_lines_with(["worker-a", "worker-a2", "worker-b"], rid)
        self.v.check("the request id followed the review's post into a worker's JSON log lines", bool(task_lines),
                     f"{len(task_lines)} lines")  # fmt: skip
        # The client's address is the one HAProxy appended (TRUSTED_PROXY_COUNT=1): an
        # X-Forwarded-For the client made up is not believed, so 127.0.0.1 may read /metrics.
        response = self.anonymous.http.get(
            f"{self.stack.base}/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=15
        )
        text = response.text
        self.v.check("/metrics answers 127.0.0.1 behind HAProxy (a forged X-Forwarded-For ignored)",
                     response.status_code == 200, f"answered {response.status_code}")  # fmt: skip
        self.v.check("/metrics holds request and project figures (gunicorn multi-process)",
                     "django_http_" in text and "reviewgate_" in text, text[:200])  # fmt: skip

    # --- the whole story ---------------------------------------------------------------------
    def play(self, step) -> None:  # type: ignore[no-untyped-def]
        skus = self.stack.seeded["scenario_skus"]
        with step("sign in through the load balancer"):
            self.sign_in()
        s = self.shoppers
        with step("posts read back at once, replica live"):
            self.posts(sku=skus[0], authors=s[0:3], voters=s[3:6], paused=False)
        with step("posts read back at once, replay paused"):
            self.replica_paused_phase(skus[1], authors=s[3:6], voters=s[0:3])
        with step("the gate's day: web1 and worker A killed, gate_evaluate rerun"):
            self.gate_day_with_faults()
        with step("improvements read back at once, replica live then paused"):
            self.improvements()
        with step("outbox drained, receiver complete"):
            self.outbox_drained()
        with step("figures equal a recount"):
            self.figures_equal_recount()
        with step("request id into the tasks, /metrics behind the proxy"):
            self.observability()


__all__ = ["Scenario", "SiteError"]
