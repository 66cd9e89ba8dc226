#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (or the host and
# port of DATABASE_URL) for development, tests and CI:
#   1. a server already answers: nothing to do;
#   2. a Debian cluster is installed but stopped: start it;
#   3. only PostgreSQL's binaries are installed (initdb, pg_ctl): create and
#      start a project-local cluster under .data/postgres (trust auth, user
#      postgres), so a laptop needs nothing but PostgreSQL installed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/htxmarket}
hostport=${url#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
host=${hostport%%:*}; port=${hostport##*:}
[ "$port" = "$hostport" ] && port=5432

ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$host" -p "$port"
  else
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  fi
}

wait_ready() {
  for _ in $(seq 1 60); do ready && return 0; sleep 0.5; done
  return 1
}

ready && exit 0

# 2. An installed Debian cluster that is stopped.
if command -v pg_lsclusters >/dev/null 2>&1; then
  while read -r version cluster cport status _; do
    [ "$cport" = "$port" ] && [ "$status" = down ] || continue
    echo "postgres.sh: starting the installed cluster $version/$cluster" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || true
    wait_ready && exit 0
  done < <(pg_lsclusters -h 2>/dev/null)
fi

# 3. A project-local cluster.
bindir=""
for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent)")" /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir=$candidate; fi
done
if [ -z "$bindir" ]; then
  echo "postgres.sh: no PostgreSQL answers on $host:$port and initdb/pg_ctl are not installed." >&2
  echo "postgres.sh: install PostgreSQL 15+ (Debian: apt-get install postgresql) or set DATABASE_URL." >&2
  exit 1
fi
data="$root/.data/postgres"
mkdir -p "$root/.data"
# PostgreSQL refuses to run as root; use the postgres account then.
as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$root/.data" postgres
  as=(runuser -u postgres --)
  mkdir -p "$data" && chown postgres "$root/.data" "$data"
fi
if [ ! -f "$data/PG_VERSION" ]; then
  echo "postgres.sh: creating a local cluster in $data" >&2
  "${as[@]}" "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
echo "postgres.sh: starting the local cluster on $host:$port" >&2
"${as[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-c listen_addresses=$host -p $port -k $data" start >/dev/null
wait_ready
