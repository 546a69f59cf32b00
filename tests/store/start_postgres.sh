#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store tests and print its URL on the last line:
#
#   export INNOCORE_TEST_POSTGRES_URL=$(bash tests/store/start_postgres.sh | tail -n 1)
#
# Installs Debian's postgresql package when it is missing (needs root), makes a fresh data
# folder, starts the server on a free port of 127.0.0.1 and creates the database
# innocore_test. Everything but the URL goes to stderr. Stop the server with the pg_ctl
# command this script prints.
set -euo pipefail

DB_NAME=${DB_NAME:-innocore_test}

find_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BIN=$(find_bin)
if [ -z "$BIN" ]; then
    echo "installing postgresql..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BIN=$(find_bin)
fi

# initdb refuses to run as root: run the server as the postgres user the package created.
as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The first port from 55432 on where nothing answers (bash's /dev/tcp: no extra tools).
free_port() {
    local port
    for port in $(seq 55432 55632); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "no free port between 55432 and 55632" >&2
    return 1
}

PGDATA=$(mktemp -d /tmp/innocore-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PGDATA"
fi
PORT=$(free_port)

as_server_user "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >&2
# fsync off: a test server's data need not survive a crash, and tests run much faster.
as_server_user "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 \
    -o "-p $PORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB_NAME" >&2

echo "PostgreSQL running from $PGDATA; stop it with:" >&2
echo "  runuser -u postgres -- $BIN/pg_ctl -D $PGDATA stop -m fast" >&2
echo "postgresql://postgres@127.0.0.1:$PORT/$DB_NAME"
