#!/usr/bin/env bash
# A PostgreSQL cluster of its own for the outage tests (tests/integration/faults/
# test_outages_postgres.py): they stop and restart it under load, which must not touch the
# cluster the other tests use. Idempotent; run as root (CI does). Costs about 3 s.
#
#   .ci/faults-cluster.sh            create (if needed) and start the cluster, role, database
#   FAULTS_PG_PORT=5434 (default)    its port; the tests read FAULTS_DATABASE_URL:
#   postgres://reviewgate:reviewgate@127.0.0.1:5434/reviewgate_faults
set -Eeuo pipefail
port="${FAULTS_PG_PORT:-5434}"
version="${FAULTS_PG_VERSION:-$(pg_lsclusters --no-header | awk 'NR==1 {print $1}')}"
version="${version:-15}"

if ! pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "faults"' | grep -q .; then
  pg_createcluster "$version" faults --port "$port" >/dev/null
fi
pg_ctlcluster "$version" faults start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done

su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reviewgate') THEN
    CREATE ROLE reviewgate LOGIN CREATEDB PASSWORD 'reviewgate';
  END IF;
END $$;
SQL
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'reviewgate_faults'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port -O reviewgate reviewgate_faults"
echo "FAULTS_DATABASE_URL=postgres://reviewgate:reviewgate@127.0.0.1:$port/reviewgate_faults"
