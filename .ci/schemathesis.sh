#!/usr/bin/env bash
# Fuzzes the REST API from its own OpenAPI schema against a live server (Schemathesis):
# any 5xx, any answer that does not match the schema (status code, content type, headers,
# body) fails the run. Bounded: SCHEMATHESIS_MAX_EXAMPLES cases per operation (default 30),
# a few minutes in all.
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
# Path parameters take a known SKU or id most of the time (to reach past the 404s into
# each operation's logic), and a generated value otherwise.
"$PY" - "$tmp/fixture.json" "$tmp/schemathesis.toml" <<'PYEOF'
import json
import sys

fixture = json.load(open(sys.argv[1]))
skus = ", ".join(json.dumps(sku) for sku in fixture["skus"])
ids = ", ".join(str(pk) for pk in fixture["ids"])
with open(sys.argv[2], "w") as config:
    config.write(
        f"""[dictionaries]
skus = {{ values = [{skus}] }}
ids = {{ values = [{ids}] }}

[parameters]
"path.sku" = {{ dictionary = "skus", probability = 0.8 }}
"path.product_sku" = {{ dictionary = "skus", probability = 0.8 }}
"path.id" = {{ dictionary = "ids", probability = 0.8 }}
"""
    )
PYEOF

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$PY" manage.py runserver --noreload "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server_pid=$!
"$PY" - "$base/api/schema/" <<'PYEOF'
import sys
import time
import urllib.request

for _ in range(60):
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=5) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit("the server did not come up")
PYEOF

echo "schemathesis: fuzzing $base/api/schema/ (max $MAX_EXAMPLES examples per operation, seed $SEED)"
status=0
"$SCHEMATHESIS" --config-file "$tmp/schemathesis.toml" --no-color run "$base/api/schema/" \
  --header "Authorization: Api-Key $api_key" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers 1 \
  --request-timeout 30 \
  --suppress-health-check too_slow,filter_too_much || status=$?

if [ "$status" -ne 0 ] || grep -q "Traceback" "$tmp/server.log"; then
  echo "schemathesis: FAILED (exit $status); the server's log follows" >&2
  tail -n 200 "$tmp/server.log" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
