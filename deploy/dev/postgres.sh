#!/usr/bin/env bash
# Makes sure a PostgreSQL server lets the project log in, for development,
# tests and CI, and leaves the URL to use where the Makefile finds it:
#   1. DATABASE_URL, when you set it: that server (a stopped Debian cluster
#      on its port is started). It must let us log in; if not, one line says so.
#   2. Otherwise the machine's server on 127.0.0.1:5432, as user postgres
#      without a password (a stopped Debian cluster is started first).
#   3. When that server asks for a password (a stock Debian PostgreSQL does
#      over TCP) or there is none: a project-local cluster in .data/postgres
#      (trust auth, user postgres, 127.0.0.1 only) on the first free port
#      from 5433, made with the installed PostgreSQL binaries. Its URL is
#      written to .data/database-url, which the Makefile exports as
#      DATABASE_URL to `make run`, the Go tests and the browser tests.
# The check is a real log-in with psql (a port that answers is not enough).
# When nothing works it prints one line saying what to set, and fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
urlfile=$root/.data/database-url
default=postgres://postgres@127.0.0.1:5432/htxmarket?sslmode=disable
install_hint="install PostgreSQL 15+ (Debian: apt-get install postgresql postgresql-contrib) or set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/htxmarket?sslmode=disable"

say() { echo "postgres.sh: $*" >&2; }

# hostport URL: sets host and port from a postgres:// URL.
hostport() {
  local hp=${1#*://}
  hp=${hp%%[/?]*}; hp=${hp##*@}
  case $hp in
    \[*) host=${hp#[}; host=${host%%]*}; port=${hp##*]}; port=${port#:} ;;
    *:*) host=${hp%%:*}; port=${hp##*:} ;;
    *) host=$hp; port= ;;
  esac
  host=${host:-127.0.0.1}; port=${port:-5432}
}

# with_database URL NAME: URL naming database NAME instead.
with_database() {
  local url=$1 query=""
  case $url in *\?*) query="?${url#*\?}"; url=${url%%\?*} ;; esac
  local rest=${url#*://}
  echo "${url%%://*}://${rest%%/*}/$2$query"
}

masked() { sed -E 's#(://[^:/@]*):[^@/]*@#\1:xxxxx@#' <<<"$1"; }

# answers HOST PORT: something accepts connections there.
answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    local rc=0
    pg_isready -q -h "$1" -p "$2" -t 3 || rc=$?
    [ "$rc" -le 1 ] # 1: there, but not accepting yet (starting up)
  else
    listening "$1" "$2"
  fi
}

# listening HOST PORT: something, PostgreSQL or not, accepts TCP there.
listening() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# login URL: logs in to the server of URL (database postgres), never asking
# for a password. On failure, refusal holds the server's answer.
refusal=""
login() {
  if ! command -v psql >/dev/null 2>&1; then
    hostport "$1"
    answers "$host" "$port" && return 0 # without psql, an answer is all we can check
    refusal="nothing answers on $host:$port"
    return 1
  fi
  local out
  if out=$(PGCONNECT_TIMEOUT=5 psql -X -w -q -t -d "$(with_database "$1" postgres)" -c 'select 1' 2>&1 >/dev/null); then
    return 0
  fi
  refusal=$(head -n1 <<<"$out" | sed -E 's/^psql: (error: )?//')
  return 1
}

# start_installed PORT: starts a stopped Debian cluster of this port.
start_installed() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  local version cluster cport status _
  while read -r version cluster cport status _; do
    [ "$cport" = "$1" ] && [ "$status" = down ] || continue
    say "starting the installed cluster $version/$cluster"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || true
    for _ in $(seq 1 60); do answers 127.0.0.1 "$1" && break; sleep 0.5; done
  done < <(pg_lsclusters -h 2>/dev/null)
}

# as_owner CMD…: runs CMD as the owner of the local cluster. PostgreSQL
# refuses to run as root, so root runs it as the OS user postgres.
as_owner() {
  if [ "$(id -u)" != 0 ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su -s /bin/sh postgres -c 'exec "$0" "$@"' "$@"
  fi
}

# local_cluster: makes, starts and checks the project's own cluster, and
# writes its URL to .data/database-url.
local_cluster() {
  local data=$root/.data/postgres bindir="" candidate
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    say "no PostgreSQL lets user postgres in without a password on 127.0.0.1:5432 ($refusal), and a local cluster cannot run as root without the OS user postgres: run as another user, or set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/htxmarket?sslmode=disable"
    return 1
  fi
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$data"
    if ! as_owner test -w "$data"; then
      # The OS user postgres cannot reach the checkout (under /root, say).
      data=/var/tmp/htxmarket-postgres-$(cksum <<<"$root" | cut -d' ' -f1)
      mkdir -p "$data" && chown postgres "$data" && chmod 700 "$data"
    fi
  fi
  # The binaries of the cluster's own version, else the newest installed.
  local want=""
  [ -f "$data/PG_VERSION" ] && want=$(cat "$data/PG_VERSION")
  for candidate in ${want:+/usr/lib/postgresql/$want/bin} \
    "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" \
    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) /usr/local/pgsql/bin; do
    [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] || continue
    if [ -n "$want" ] && [ "$("$candidate/pg_ctl" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')" != "$want" ]; then
      continue
    fi
    bindir=$candidate
    break
  done
  if [ -z "$bindir" ]; then
    if [ -n "$want" ]; then
      say "the local cluster in $data was made by PostgreSQL $want, which is not installed: install it, or remove $data (its data is lost)"
    else
      say "no PostgreSQL lets user postgres in without a password on 127.0.0.1:5432 ($refusal), and initdb/pg_ctl are not installed for a local cluster: $install_hint"
    fi
    return 1
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a local cluster in $data"
    (cd "$data" && as_owner "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null) || {
      say "initdb failed in $data (see above): set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/htxmarket?sslmode=disable"
      return 1
    }
  fi
  local port
  if (cd "$data" && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1); then
    port=$(sed -n 4p "$data/postmaster.pid")
  else
    # The port it had before, so that a URL copied from .data/database-url
    # stays right; else the first free one from 5433.
    port=$(sed -nE 's#.*@127\.0\.0\.1:([0-9]+)/.*#\1#p' "$urlfile" 2>/dev/null || true)
    port=${port:-5433}
    while listening 127.0.0.1 "$port"; do
      port=$((port + 1))
      if [ "$port" -gt 5499 ]; then
        say "no free port from 5433 to 5499 for a local cluster: set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/htxmarket?sslmode=disable"
        return 1
      fi
    done
    say "127.0.0.1:5432 did not let user postgres in without a password ($refusal): starting the project's cluster ($data) on 127.0.0.1:$port"
    # TCP only: a Unix socket path under a deep checkout can be too long.
    (cd "$data" && as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=''" start >/dev/null) || {
      say "the local cluster did not start; see $data/server.log, or set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/htxmarket?sslmode=disable"
      return 1
    }
  fi
  local url=postgres://postgres@127.0.0.1:$port/htxmarket?sslmode=disable
  if ! login "$url"; then
    say "cannot log in to the local cluster on 127.0.0.1:$port ($refusal); see $data/server.log, or set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/htxmarket?sslmode=disable"
    return 1
  fi
  echo "$url" >"$urlfile.tmp" && mv "$urlfile.tmp" "$urlfile"
}

# 1. A server you chose. A URL equal to .data/database-url is the one this
#    script wrote (the Makefile exports it), not a choice of yours.
if [ -n "${DATABASE_URL:-}" ] && [ "$DATABASE_URL" != "$(cat "$urlfile" 2>/dev/null)" ]; then
  hostport "$DATABASE_URL"
  case $host in localhost | 127.0.0.1 | ::1) answers "$host" "$port" || start_installed "$port" ;; esac
  login "$DATABASE_URL" && exit 0
  say "cannot log in with DATABASE_URL=$(masked "$DATABASE_URL") ($refusal): correct it, or unset it to use 127.0.0.1:5432 or a local cluster"
  exit 1
fi

# 2. The machine's server.
answers 127.0.0.1 5432 || start_installed 5432
if login "$default"; then
  rm -f "$urlfile"
  exit 0
fi

# 3. The project's own cluster.
mkdir -p "$root/.data"
local_cluster
