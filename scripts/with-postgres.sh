#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server started for it, and stop the server afterwards.
# The command sees POLKU_TEST_POSTGRES_URL. PostgreSQL refuses to run as root, so as root the
# cluster belongs to the 'postgres' system user. Nothing is left behind: the data directory is temporary.
set -euo pipefail

bindir=""
for candidate in "$(command -v pg_config >/dev/null 2>&1 && pg_config --bindir || true)" /usr/lib/postgresql/*/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then bindir="$candidate"; fi
done
if [ -z "$bindir" ]; then
  echo "with-postgres: PostgreSQL server binaries (initdb) not found; install the 'postgresql' package" >&2
  exit 1
fi

datadir=$(mktemp -d /tmp/polku-pg.XXXXXX)
port=${POLKU_PG_PORT:-54329}
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$datadir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$datadir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$datadir/data" -U polku --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/server.log" -w \
  -o "-p $port -k $datadir -c listen_addresses='' -c fsync=off" start >/dev/null
"${as_owner[@]}" "$bindir/createdb" -h "$datadir" -p "$port" -U polku polku_test

export POLKU_TEST_POSTGRES_URL="postgresql+psycopg://polku@/polku_test?host=$datadir&port=$port"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $NF}') running for this command"
set +e
"$@"
status=$?
set -e
exit $status
