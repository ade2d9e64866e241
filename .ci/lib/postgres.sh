#!/usr/bin/env bash
# Shared set-up for .ci/start and .ci/test: a local PostgreSQL with the app's role and database,
# and Debian's Chromium for the browser tests.
#
#   source .ci/lib/postgres.sh && ensure_postgres && ensure_chromium
#
# The README also tells people to source this file into their interactive shell, so the strict
# options are only switched on in scripts (set -e in an interactive shell would close it on the
# first failing command), and the functions report failure with `return 1`, never `exit`: a
# script under set -e stops there with status 1, an interactive shell stays open.
if [[ $- != *i* ]]; then
    set -euo pipefail
fi

# Fixed names: appsettings.json and the test fixtures expect exactly these.
INBOX_PG_ROLE=whop_inbox
INBOX_PG_PASSWORD=whop_inbox
INBOX_PG_DATABASE=whop_inbox

_ci_say() { printf '==> %s\n' "$*"; }
_ci_fail() { printf 'ERROR: %s\n' "$*" >&2; return 1; }
_ci_is_root() { [[ $(id -u) -eq 0 ]]; }

# Install Debian packages as root. `apt-get update` is slow, so it runs at most once per script
# run, however many packages the script asks for.
_ci_apt_install() {
    if ! _ci_is_root; then
        _ci_fail "need the Debian package(s) '$*', but installing them needs root. Run as root, or install them first: sudo apt-get update && sudo apt-get install -y $*"
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [[ ${_CI_APT_UPDATED:-0} != 1 ]]; then
        _ci_say "apt-get update"
        apt-get update -q || { _ci_fail "apt-get update failed"; return 1; }
        _CI_APT_UPDATED=1
    fi
    _ci_say "apt-get install -y $*"
    apt-get install -y -q "$@" || { _ci_fail "apt-get install $* failed"; return 1; }
}

# Prints "version name port status owner" of the cluster to use: a running one if there is one,
# otherwise the first. Prints nothing when there is no cluster.
_ci_pg_cluster() {
    command -v pg_lsclusters >/dev/null 2>&1 || return 0
    pg_lsclusters -h 2>/dev/null | awk '
        NF >= 5 && !first { first = $1 " " $2 " " $3 " " $4 " " $5 }
        NF >= 5 && $4 ~ /^online/ && !online { online = $1 " " $2 " " $3 " " $4 " " $5 }
        END { if (online) print online; else if (first) print first }' || true
}

# Run a command as the postgres OS user (from / so it does not complain about root's home).
_ci_as_postgres() {
    if [[ $(id -un) == postgres ]]; then
        (cd / && "$@")
    elif command -v runuser >/dev/null 2>&1 && _ci_is_root; then
        (cd / && runuser -u postgres -- "$@")
    elif _ci_is_root; then
        (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
    else
        return 1
    fi
}

ensure_postgres() {
    # A connection string from the user wins: then the local PostgreSQL is none of our business.
    # (One this function exported earlier, in this shell or a parent, is ours: set up again.)
    if [[ -n ${ConnectionStrings__Inbox:-} && $ConnectionStrings__Inbox != "${_CI_PG_OWN_CONNECTION:-}" ]]; then
        _ci_say "Using ConnectionStrings__Inbox from the environment; not touching the local PostgreSQL."
        if [[ -z ${INBOX_TEST_POSTGRES:-} ]]; then
            _ci_say "Note: INBOX_TEST_POSTGRES is not set; tests fall back to the local default server."
        fi
        return 0
    fi

    # Server binaries: pg_ctlcluster comes with postgresql-common, a cluster with the server package.
    local cluster version name port status owner
    cluster=$(_ci_pg_cluster)
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z $cluster ]]; then
        _ci_say "No PostgreSQL cluster found; installing PostgreSQL from Debian's packages."
        _ci_apt_install postgresql || return 1
        cluster=$(_ci_pg_cluster)
        # The package creates the "main" cluster on first install only; if the server was already
        # installed and its cluster removed, create one for the newest installed version.
        if [[ -z $cluster ]]; then
            version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -n | tail -n 1)
            [[ -n $version ]] || { _ci_fail "PostgreSQL was installed but no server version is in /usr/lib/postgresql"; return 1; }
            _ci_say "Creating cluster $version/main"
            pg_createcluster "$version" main || { _ci_fail "pg_createcluster $version main failed"; return 1; }
            cluster=$(_ci_pg_cluster)
        fi
        [[ -n $cluster ]] || { _ci_fail "no PostgreSQL cluster after installing; see pg_lsclusters"; return 1; }
    fi

    read -r version name port status owner <<<"$cluster"

    # Start the cluster if it is down. pg_ctlcluster must run as root or as the cluster's owner.
    if [[ $status != online* ]]; then
        if ! _ci_is_root && [[ $(id -un) != "$owner" ]]; then
            _ci_fail "PostgreSQL cluster $version/$name is $status and starting it needs root. Run: sudo pg_ctlcluster $version $name start"
            return 1
        fi
        _ci_say "Starting PostgreSQL cluster $version/$name"
        pg_ctlcluster "$version" "$name" start || { _ci_fail "pg_ctlcluster $version $name start failed; see /var/log/postgresql/postgresql-$version-$name.log"; return 1; }
    fi

    # The app and the tests connect over TCP, so wait for TCP, not only for the socket.
    local waited=0
    until pg_isready -q -h 127.0.0.1 -p "$port"; do
        if (( waited >= 30 )); then
            _ci_fail "PostgreSQL $version/$name does not accept connections on 127.0.0.1:$port after 30s; see /var/log/postgresql/postgresql-$version-$name.log"
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    _ci_say "PostgreSQL $version/$name is up on 127.0.0.1:$port"

    # Role and database, idempotently. The role is (re)set to LOGIN, the known password and
    # CREATEDB on every run, because the tests create and drop their own databases with it.
    if _ci_is_root || [[ $(id -un) == postgres ]]; then
        _ci_as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres <<SQL || { _ci_fail "could not create the $INBOX_PG_ROLE role"; return 1; }
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$INBOX_PG_ROLE') THEN
        CREATE ROLE $INBOX_PG_ROLE LOGIN PASSWORD '$INBOX_PG_PASSWORD' CREATEDB;
    ELSE
        ALTER ROLE $INBOX_PG_ROLE LOGIN PASSWORD '$INBOX_PG_PASSWORD' CREATEDB;
    END IF;
END
\$\$;
SQL
        # CREATE DATABASE cannot run inside a DO block, so check first.
        local exists
        exists=$(_ci_as_postgres psql -X -At -p "$port" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$INBOX_PG_DATABASE'") \
            || { _ci_fail "could not query PostgreSQL as the postgres user"; return 1; }
        if [[ $exists != 1 ]]; then
            _ci_say "Creating database $INBOX_PG_DATABASE"
            _ci_as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres \
                -c "CREATE DATABASE $INBOX_PG_DATABASE OWNER $INBOX_PG_ROLE" \
                || { _ci_fail "could not create the $INBOX_PG_DATABASE database"; return 1; }
        fi
        _ci_say "Role and database $INBOX_PG_DATABASE are ready"
    else
        # Not root: we cannot become postgres, but all is well if the role can already sign in.
        if ! PGPASSWORD=$INBOX_PG_PASSWORD psql -X -q -h 127.0.0.1 -p "$port" -U "$INBOX_PG_ROLE" -d "$INBOX_PG_DATABASE" -c 'SELECT 1' >/dev/null 2>&1; then
            _ci_fail "cannot sign in to PostgreSQL as $INBOX_PG_ROLE, and creating the role needs root. Run this once as root (sudo bash .ci/start), or set ConnectionStrings__Inbox to a database of your own."
            return 1
        fi
    fi

    export ConnectionStrings__Inbox="Host=127.0.0.1;Port=$port;Database=$INBOX_PG_DATABASE;Username=$INBOX_PG_ROLE;Password=$INBOX_PG_PASSWORD"
    export _CI_PG_OWN_CONNECTION=$ConnectionStrings__Inbox
    # The tests create and drop their own databases through the maintenance database.
    if [[ -z ${INBOX_TEST_POSTGRES:-} ]]; then
        export INBOX_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Database=postgres;Username=$INBOX_PG_ROLE;Password=$INBOX_PG_PASSWORD"
    fi
}

ensure_chromium() {
    # A browser the user points at wins, as long as it exists.
    if [[ -n ${INBOX_CHROMIUM:-} ]]; then
        [[ -x $INBOX_CHROMIUM ]] || { _ci_fail "INBOX_CHROMIUM=$INBOX_CHROMIUM is not an executable file"; return 1; }
        _ci_say "Using the browser from INBOX_CHROMIUM: $INBOX_CHROMIUM"
        return 0
    fi
    if [[ -x /usr/bin/chromium ]]; then
        _ci_say "Chromium is installed: /usr/bin/chromium"
    else
        _ci_say "Chromium is missing; installing it from Debian's packages for the browser tests."
        _ci_apt_install chromium || return 1
        [[ -x /usr/bin/chromium ]] || { _ci_fail "the chromium package did not install /usr/bin/chromium"; return 1; }
    fi
    export INBOX_CHROMIUM=/usr/bin/chromium
}
