#!/usr/bin/env bash
# Fuzzes the REST API from its own OpenAPI schema against a live server (Schemathesis),
# with every check Schemathesis has (issue 14, item 6), in its four phases (examples,
# coverage, fuzzing, stateful sequences over the links it infers):
# - the answers: no 5xx, and status code, content type, headers and body as the schema
#   says (not_a_server_error, *_conformance);
# - the requests: a request the schema calls valid is accepted, one it calls invalid is
#   refused with a 4xx (positive_data_acceptance, negative_data_rejection), a missing
#   required header or an unsupported method too (405 with an Allow header);
# - access: no credentials where the schema requires them is a 401/403 (ignored_auth),
#   object_level_authorization; created resources can be read (ensure_resource_availability)
#   and deleted ones cannot (use_after_free: one documented exception, below);
# - time: no answer slower than SCHEMATHESIS_MAX_RESPONSE_TIME seconds (default 15). It
#   catches runaway work (an unbounded page, a query without its index), not noise: once,
#   on the shared 2-core CI machine, a 400 that takes 20 ms answered after 10.4 s, which
#   the same cases run again never repeated; the default 5 s failed the run on it.
# Schemathesis 4 enables every check unless told otherwise; `--checks all` is not passed
# because on the command line it would also override the one per-operation exception.
# Bounded: SCHEMATHESIS_MAX_EXAMPLES cases per operation (default 30): about 2,000 cases
# and 3 minutes in all.
#
# Arguments are passed on to `schemathesis run`, e.g. `--include-path-regex webhooks` to fuzz
# some operations only, or `--phases stateful`.
#
# Database: a throwaway SQLite file by default. When DATABASE_URL points at PostgreSQL (as
# in CI), a scratch database "<name>_fuzz" is created beside it on the same server, and
# dropped afterwards, so the given database is never written to.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
SCHEMATHESIS=${SCHEMATHESIS:-.venv/bin/schemathesis}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-30}
SEED=${SCHEMATHESIS_SEED:-20260401}
MAX_RESPONSE_TIME=${SCHEMATHESIS_MAX_RESPONSE_TIME:-15}

if [ ! -x "$SCHEMATHESIS" ]; then
  echo "schemathesis: $SCHEMATHESIS is missing (it belongs to the dev extras in pyproject.toml)" >&2
  exit 2
fi

tmp=$(mktemp -d)
server_pid=""
scratch_pg=""

pg_scratch() {  # pg_scratch create|drop URL -> prints the scratch database's URL on create
  "$PY" - "$1" "$2" <<'PYEOF'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

action, url = sys.argv[1], sys.argv[2]
parts = urlsplit(url)
name = parts.path.lstrip("/") + "_fuzz"
with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    if action == "create":
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(urlunsplit(parts._replace(path="/" + name)))
PYEOF
}

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$scratch_pg" ]; then
    pg_scratch drop "$scratch_pg" || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# A production-like server (DEBUG off) speaking plain HTTP on 127.0.0.1, whose Celery
# messages go to files in the scratch directory (no worker: nothing is delivered), with
# rate limits high enough not to throttle the fuzzer.
export DEBUG=0
export SECRET_KEY="schemathesis-$RANDOM-$RANDOM-$RANDOM-not-a-real-deployment"
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export REVIEWGATE_VAR_DIR="$tmp/var"
export CELERY_BROKER_URL="filesystem://" CELERY_TASK_ALWAYS_EAGER=0
export API_THROTTLE_ANON=100000/min API_THROTTLE_USER=100000/min API_THROTTLE_API_KEY=100000/min
# The site's limits apply to the API too (one budget per person): fuzzing posts far more
# reviews and reports than a person may, so the limits are off for this run.
export RATELIMIT_ENABLED=0

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  scratch_pg="$DATABASE_URL"
  DATABASE_URL=$(pg_scratch create "$DATABASE_URL")
else
  DATABASE_URL="sqlite:///$tmp/fuzz.sqlite3"
fi
export DATABASE_URL

echo "schemathesis: migrating the scratch database"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py api_fuzz_fixture >"$tmp/fixture.json"
api_key=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["api_key"])' "$tmp/fixture.json")
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# Improvement sign-off on (GATE_IMPROVEMENT_APPROVAL=director), so that the approval
# endpoints the fixture's pending requests wait at are the ones in use.
GATE_IMPROVEMENT_APPROVAL=director "$PY" manage.py runserver --noreload "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server_pid=$!

# Path parameters take a known SKU or id most of the time (to reach past the 404s into
# each operation's logic), and a generated value otherwise.
# The one parameter not fuzzed: the ratings feed's `cursor`. It is opaque: only a position
# this server wrote is one (any other string is a 400, as documented and tested in
# tests/api/test_ratings.py), and no schema can list them, so a generated string that fits
# its pattern is "schema-valid" yet no cursor, and positive_data_acceptance would fail on
# it. It is fixed to a cursor the server wrote, read from a `next` link as a client does.
# (Schemathesis' coverage phase ignores dictionaries, so a dictionary cannot do this.)
"$PY" - "$tmp/fixture.json" "$tmp/schemathesis.toml" "$base" <<'PYEOF'
import json
import sys
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

fixture_path, config_path, base = sys.argv[1:]
for _ in range(60):
    try:
        with urllib.request.urlopen(base + "/api/schema/", timeout=5) as response:
            if response.status == 200:
                break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("the server did not come up")


def ratings_feed_cursors() -> list[str]:
    cursors, url = [], base + "/api/v1/ratings/?page_size=1"
    while url:
        with urllib.request.urlopen(url, timeout=10) as response:
            url = json.load(response)["next"]
        if url:
            cursors += parse_qs(urlsplit(url).query)["cursor"]
    return cursors


# The feed serves rows once they have settled (API_RATINGS_FEED_SETTLE_SECONDS, 10 s).
for _ in range(30):
    cursors = ratings_feed_cursors()
    if cursors:
        break
    time.sleep(1)
else:
    sys.exit("the ratings feed served no cursor")
fixture = json.load(open(fixture_path))
skus = ", ".join(json.dumps(sku) for sku in fixture["skus"])
ids = ", ".join(str(pk) for pk in fixture["ids"])
order_ids = ", ".join(json.dumps(order_id) for order_id in fixture["order_ids"])
with open(config_path, "w") as config:
    config.write(
        f"""[dictionaries]
skus = {{ values = [{skus}] }}
ids = {{ values = [{ids}] }}
order_ids = {{ values = [{order_ids}] }}

[parameters]
"path.sku" = {{ dictionary = "skus", probability = 0.8 }}
"path.product_sku" = {{ dictionary = "skus", probability = 0.8 }}
"path.id" = {{ dictionary = "ids", probability = 0.8 }}
"path.order_id" = {{ dictionary = "order_ids", probability = 0.8 }}
"query.cursor" = {json.dumps(cursors[0])}

# use_after_free is off for reads of a webhook endpoint, and only there: DELETE on one
# revokes it (as the schema's summary and docs/api.md say: "deliveries stop; the record
# stays"), so GET /api/v1/webhooks/{{id}}/ answers 200 with `active: false` and
# `revoked_at`, and its delivery log stays readable for the audit. Every other check runs.
[[operations]]
include-path-regex = '^/api/v1/webhooks/[{{]id[}}]/'
checks.use_after_free.enabled = false

# positive_data_acceptance is off for the figures over a period (invitation, care and
# topic figures), and only there: `from` and `to` are each a valid day, but a period longer than
# three years is a 400 naming `from` (the month rows are cut in the database, one bucket a
# month), a rule between two parameters that OpenAPI cannot state; so are days before
# 1900 or after 9999-12-30 (core.strict_dates.PeriodDayField). Every other check runs, and
# the 400s are tested in tests/integration/desk/test_invitation_figures.py and
# tests/integration/care/test_care_figures_api.py and
# tests/integration/topics/test_topic_figures_api.py.
[[operations]]
include-path-regex = '^/api/v1/(invitation|care|topic)-figures/'
checks.positive_data_acceptance.enabled = false

# negative_data_rejection is off for the reject of an improvement request, and only there:
# the coverage phase reports a body holding `reason` "0" and an extra key `error` (an object
# holding `fields`) as "schema-violating (error -> fields -> missing reason)", but the
# operation's schema is an object with one required string `reason` and extra keys allowed
# (the request is valid: 200 is right). A false positive of the phase's nested mutation;
# the 400s of this operation are tested in tests/integration/gate/test_improvement_approval.py
# and by the hostile bodies (tests/integration/hostile/test_api_hostile_bodies.py).
[[operations]]
include-path-regex = '^/api/v1/gate/improvement-requests/[^/]+/reject/'
checks.negative_data_rejection.enabled = false

# positive_data_acceptance is off for posting and editing a review, and only there: their
# multipart form (photos) carries the review as a JSON document in one part, which the schema
# can only type as "any JSON" (reviews.api.photo_input), so a part holding a number, or an
# edit that changes nothing, is schema-valid and rightly a 400. Every other check runs; the
# multipart bodies are tested in tests/api/test_photos_api.py and
# tests/integration/reviews/test_review_photo_edits.py. To do: type the part with the input
# serializer and an `encoding` content type, and turn the check back on.
[[operations]]
include-path-regex = '^/api/v1/(products/[^/]+/reviews/|reviews/[^/]+/)$'
checks.positive_data_acceptance.enabled = false
"""
    )
PYEOF

echo "schemathesis: fuzzing $base/api/schema/ (max $MAX_EXAMPLES examples per operation, seed $SEED)"
status=0
"$SCHEMATHESIS" --config-file "$tmp/schemathesis.toml" --no-color run "$base/api/schema/" \
  --header "Authorization: Api-Key $api_key" \
  --phases examples,coverage,fuzzing,stateful \
  --max-response-time "$MAX_RESPONSE_TIME" \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers 1 \
  --request-timeout 30 \
  --suppress-health-check too_slow,filter_too_much \
  "$@" || status=$?

if [ "$status" -ne 0 ] || grep -q "Traceback" "$tmp/server.log"; then
  echo "schemathesis: FAILED (exit $status); the server's log follows" >&2
  tail -n 200 "$tmp/server.log" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
