#!/usr/bin/env bash
# Makes Redis, Postgres and Chromium available for Fanout on a plain Debian
# machine, idempotently.
#
#   deploy/services.sh start STATE_DIR [DBNAME [ENV_FILE]]
#   deploy/services.sh stop  STATE_DIR [--purge]
#   deploy/services.sh status STATE_DIR
#
# start:
#   Redis     a server of ours still running from STATE_DIR is reused; else
#             127.0.0.1:6379 is used if it answers PING; else a private
#             redis-server is started under STATE_DIR/redis (port 6379 if free,
#             else the first free one in 6380-6399).
#   Postgres  likewise: ours from STATE_DIR, else 127.0.0.1:5432 if it is
#             ready and lets user postgres in without a password, else a
#             private cluster under STATE_DIR/pg (initdb --auth=trust, as user
#             postgres when root; port 5432 if free, else 5433-5499).
#   Chromium  CHROME_PATH if set, else chromium/chromium-browser/google-chrome
#             on PATH.
#   Missing packages are installed with apt-get when root; otherwise the
#   script prints what to install and exits 1. The database DBNAME (default
#   fanout) is created if missing.
#   The result is written to ENV_FILE (default STATE_DIR/services.env) and
#   printed on stdout as shell `export` lines (DATABASE_URL, REDIS_ADDR,
#   REDIS_URL, CHROME_PATH), so `eval "$(deploy/services.sh start DIR)"` works.
#   STATE_DIR/started lists the services this script started itself.
# stop:
#   stops exactly the private servers running from STATE_DIR (never a shared
#   one), bounded wait then SIGKILL; --purge also deletes STATE_DIR.
#
# Knobs: SERVICES_PRIVATE=1 skips the shared servers on 6379/5432 and always
# uses private ones (isolation, testing). CHROME_PATH as above.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/lib.sh
. "$here/lib.sh"

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
	exit 2
}

# ---------------------------------------------------------------- helpers --

pid_is() { # PID COMM
	pid_alive "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

pg_bindir() {
	local d
	d=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n1)
	if [ -n "$d" ] && [ -x "$d/initdb" ]; then
		echo "$d"
	elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(command -v pg_ctl)"
	else
		return 1
	fi
}

pg_client_ok() { command -v psql >/dev/null 2>&1 && command -v pg_isready >/dev/null 2>&1; }

as_pg() { # run a Postgres server command as the cluster owner
	if is_root; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_usable() { # PORT: ready and user postgres gets in without a password
	pg_isready -q -h 127.0.0.1 -p "$1" -t 3 >/dev/null 2>&1 &&
		PGCONNECT_TIMEOUT=3 psql -w -X -q -h 127.0.0.1 -p "$1" -U postgres -d postgres \
			-Atc 'select 1' >/dev/null 2>&1
}

# ------------------------------------------------------------------ redis --

redis_ours_running() { # prints the port of our running redis
	local pid port
	pid=$(read_pid "$state/redis/redis.pid")
	port=$(cat "$state/redis/port" 2>/dev/null || true)
	[ -n "$port" ] && pid_is "$pid" redis-server && redis_ping 127.0.0.1 "$port" && echo "$port"
}

redis_start_private() {
	local port dir=$state/redis i
	mkdir -p "$dir"
	if tcp_open 127.0.0.1 6379; then
		port=$(free_port 127.0.0.1 6380 6399) || die "no free port in 6380-6399 for a private Redis"
	else
		port=6379
	fi
	log "starting private redis-server on 127.0.0.1:$port (state $dir)"
	rm -f "$dir/redis.pid"
	redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
		--maxmemory-policy noeviction --daemonize yes \
		--dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null ||
		{ tail -n 20 "$dir/redis.log" >&2 2>/dev/null; die "redis-server did not start"; }
	for ((i = 0; i < 50; i++)); do
		redis_ping 127.0.0.1 "$port" && break
		sleep 0.1
	done
	redis_ping 127.0.0.1 "$port" || { tail -n 20 "$dir/redis.log" >&2; die "private Redis on port $port does not answer PING"; }
	echo "$port" >"$dir/port"
	mark_started redis
	redis_port=$port
}

redis_stop() {
	local dir=$state/redis pid port
	pid=$(read_pid "$dir/redis.pid")
	port=$(cat "$dir/port" 2>/dev/null || true)
	if pid_is "$pid" redis-server; then
		log "stopping private redis-server (pid $pid, port ${port:-?})"
		if [ -n "$port" ] && command -v redis-cli >/dev/null; then
			redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
		else
			kill -TERM "$pid" 2>/dev/null || true
		fi
		if ! wait_gone "$pid" 10; then
			warn "redis-server $pid still running after 10s; SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			wait_gone "$pid" 5 || warn "redis-server $pid did not die"
		fi
	fi
	rm -f "$dir/redis.pid"
	unmark_started redis
}

# --------------------------------------------------------------- postgres --

pg_datadir() { # where our cluster lives (recorded at creation)
	if [ -f "$state/pg/datadir" ]; then cat "$state/pg/datadir"; else echo "$state/pg/data"; fi
}

pg_ours_running() { # prints the port of our running cluster
	local data pid port
	data=$(pg_datadir)
	pid=$(read_pid "$data/postmaster.pid")
	port=$(cat "$state/pg/port" 2>/dev/null || true)
	[ -n "$port" ] && pid_is "$pid" postgres && pg_isready -q -h 127.0.0.1 -p "$port" -t 3 && echo "$port"
}

pg_start_private() {
	local bin data port dir=$state/pg
	bin=$(pg_bindir) || die "Postgres server binaries (initdb, pg_ctl) not found"
	mkdir -p "$dir"
	data=$(pg_datadir)
	if [ ! -f "$data/PG_VERSION" ]; then
		data=$dir/data
		if is_root; then
			chmod o+x "$state" "$dir"
			if ! runuser -u postgres -- test -x "$dir"; then
				# a parent directory is closed to user postgres: keep the
				# cluster in /tmp and remember where
				data=$(mktemp -d /tmp/fanout-pg.XXXXXX)
				chmod 755 "$data"
				warn "user postgres cannot reach $dir; the cluster lives in $data"
			fi
			mkdir -p "$data"
			chown postgres:postgres "$data"
			chmod 700 "$data"
		fi
		echo "$data" >"$dir/datadir"
		log "initdb $data"
		as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
			{ tail -n 20 "$dir/initdb.log" >&2; die "initdb failed"; }
	fi
	port=$(cat "$dir/port" 2>/dev/null || true)
	if [ -z "$port" ] || tcp_open 127.0.0.1 "$port"; then
		if tcp_open 127.0.0.1 5432; then
			port=$(free_port 127.0.0.1 5433 5499) || die "no free port in 5433-5499 for a private Postgres"
		else
			port=5432
		fi
	fi
	log "starting private Postgres on 127.0.0.1:$port (data $data)"
	# the log must be writable by the cluster owner, so it lives in the data dir
	as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
		-o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
		start >"$dir/pg_ctl.log" 2>&1 ||
		{ cat "$dir/pg_ctl.log" >&2; tail -n 30 "$data/server.log" >&2 2>/dev/null; die "Postgres did not start"; }
	echo "$port" >"$dir/port"
	mark_started postgres
	pg_port=$port
}

pg_stop() {
	local data pid bin
	data=$(pg_datadir)
	pid=$(read_pid "$data/postmaster.pid")
	if pid_is "$pid" postgres; then
		log "stopping private Postgres (pid $pid, data $data)"
		if bin=$(pg_bindir); then
			as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
		else
			kill -INT "$pid" 2>/dev/null || true
		fi
		if ! wait_gone "$pid" 20; then
			warn "postgres $pid still running after 20s; SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			wait_gone "$pid" 5 || warn "postgres $pid did not die"
		fi
	fi
	unmark_started postgres
}

pg_ensure_db() { # PORT DBNAME
	local q
	q=$(psql -w -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atc \
		"select 1 from pg_database where datname = '$2'") || die "cannot query Postgres on port $1"
	if [ "$q" != 1 ]; then
		log "creating database $2"
		psql -w -X -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "create database \"$2\"" >/dev/null 2>&1 ||
			[ "$(psql -w -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atc \
				"select 1 from pg_database where datname = '$2'")" = 1 ] ||
			die "could not create database $2"
	fi
}

# ------------------------------------------------------------- bookkeeping --

mark_started() {
	grep -qx "$1" "$state/started" 2>/dev/null || echo "$1" >>"$state/started"
}

unmark_started() {
	[ -f "$state/started" ] || return 0
	grep -vx "$1" "$state/started" >"$state/started.tmp" || true
	mv -f "$state/started.tmp" "$state/started"
	[ -s "$state/started" ] || rm -f "$state/started"
}

# --------------------------------------------------------------- commands --

cmd_start() {
	local db=${1:-fanout} envfile=${2:-$state/services.env} private=${SERVICES_PRIVATE:-}
	[[ $db =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad database name: $db"
	mkdir -p "$state"
	chmod 755 "$state"

	local pkgs=() chrome='' redis_mode='' pg_mode=''
	redis_port='' pg_port=''

	# Redis: ours, shared, or to start
	if redis_port=$(redis_ours_running); then
		redis_mode=ours
	elif [ -z "$private" ] && redis_ping 127.0.0.1 6379; then
		redis_port=6379 redis_mode=shared
	else
		redis_mode=start
		command -v redis-server >/dev/null || pkgs+=(redis-server)
	fi

	# Postgres: the client tools are always needed (readiness, createdb)
	if ! pg_client_ok; then
		if [ -z "$private" ] && tcp_open 127.0.0.1 5432; then
			pkgs+=(postgresql-client)
		else
			pkgs+=(postgresql)
		fi
	fi

	# Chromium
	if ! chrome=$(find_chrome); then
		if [ -n "${CHROME_PATH:-}" ]; then
			die "CHROME_PATH=$CHROME_PATH is not an executable"
		fi
		pkgs+=(chromium)
	fi

	if [ ${#pkgs[@]} -gt 0 ]; then
		if is_root && command -v apt-get >/dev/null; then
			apt_install "${pkgs[@]}" || die "apt-get install ${pkgs[*]} failed"
		else
			printf '\nMissing packages: %s\nInstall them as root, e.g.:\n  sudo apt-get update && sudo apt-get install -y %s\n' "${pkgs[*]}" "${pkgs[*]}" >&2
			case " ${pkgs[*]} " in *" chromium "*) printf '(or set CHROME_PATH to an existing Chromium binary)\n' >&2 ;; esac
			die "missing: ${pkgs[*]} (not root, so not installing)"
		fi
	fi
	[ -n "$chrome" ] || chrome=$(find_chrome) || die "chromium still not found after install"

	if pg_port=$(pg_ours_running); then
		pg_mode=ours
	elif [ -z "$private" ] && pg_usable 5432; then
		pg_port=5432 pg_mode=shared
	else
		pg_mode=start
		if ! pg_bindir >/dev/null; then
			if is_root && command -v apt-get >/dev/null; then
				apt_install postgresql || die "apt-get install postgresql failed"
			else
				die "no usable Postgres on 127.0.0.1:5432 and no server binaries to start one. Install them, e.g.: sudo apt-get install -y postgresql"
			fi
		fi
		if is_root && ! id postgres >/dev/null 2>&1; then
			die "user postgres does not exist (install the postgresql package)"
		fi
	fi

	[ "$redis_mode" = start ] && redis_start_private
	[ "$pg_mode" = start ] && pg_start_private

	pg_ensure_db "$pg_port" "$db"

	log "redis:    127.0.0.1:$redis_port ($redis_mode)"
	log "postgres: 127.0.0.1:$pg_port db $db ($pg_mode)"
	log "chromium: $chrome"
	mkdir -p "$(dirname "$envfile")"
	write_env "$envfile" \
		"# services: redis=$redis_mode postgres=$pg_mode (state $state)" \
		"DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/$db?sslmode=disable" \
		"REDIS_ADDR=127.0.0.1:$redis_port" \
		"REDIS_URL=redis://127.0.0.1:$redis_port/0" \
		"CHROME_PATH=$chrome"
	log "wrote $envfile"
	grep '^export ' "$envfile"
}

cmd_stop() {
	local purge=${1:-}
	[ -d "$state" ] || { log "nothing to stop ($state does not exist)"; return 0; }
	redis_stop
	pg_stop
	if [ "$purge" = --purge ]; then
		local data
		data=$(pg_datadir)
		case $data in "$state"/*) ;; *) rm -rf "$data" ;; esac
		rm -rf "$state"
		log "removed $state"
	fi
}

cmd_status() {
	local p
	if p=$(redis_ours_running); then echo "redis: private, 127.0.0.1:$p"; else echo "redis: no private instance"; fi
	if p=$(pg_ours_running 2>/dev/null); then echo "postgres: private, 127.0.0.1:$p"; else echo "postgres: no private instance"; fi
	[ -f "$state/started" ] && echo "started by this script: $(tr '\n' ' ' <"$state/started")"
	return 0
}

[ $# -ge 2 ] || usage
cmd=$1 state=$2
shift 2
case $state in /*) ;; *) state=$PWD/$state ;; esac
case $cmd in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
status) cmd_status ;;
*) usage ;;
esac
