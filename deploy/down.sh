#!/usr/bin/env bash
# Stops exactly what deploy/up.sh started (`make down`), idempotently:
#
#   - worker, api, fakesites: the pids in .run/NAME.pid, only if that process
#     is still the fanout binary. SIGTERM, then a bounded wait
#     (DOWN_TIMEOUT seconds, default 20), then SIGKILL; finally anything left
#     in the process's session (up.sh starts each in its own, so this catches
#     Chromium children) is killed too.
#   - the private Redis/Postgres that deploy/services.sh started under
#     .run/services (never the machine's shared ones on 6379/5432), unless
#     --keep-services is given.
#
# Data (.run/data, .run/secret.key, a private Postgres cluster) is kept;
# `rm -rf .run` after `make down` wipes it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=deploy/lib.sh
. deploy/lib.sh

run=$root/.run
timeout=${DOWN_TIMEOUT:-20}
keep_services=''
case ${1:-} in
'') ;;
--keep-services) keep_services=1 ;;
*) die "usage: $0 [--keep-services]" ;;
esac

# session_pids SID: live processes whose session id is SID.
session_pids() {
	local sid=$1 f stat rest
	for f in /proc/[0-9]*/stat; do
		stat=$(cat "$f" 2>/dev/null) || continue
		rest=${stat##*) } # after "(comm) ": state ppid pgrp session ...
		# shellcheck disable=SC2086
		set -- $rest
		if [ "${4:-}" = "$sid" ] && [ "$1" != Z ]; then
			f=${f#/proc/}
			echo "${f%/stat}"
		fi
	done
}

kill_session() { # SID SIGNAL
	local p
	for p in $(session_pids "$1"); do
		kill "-$2" "$p" 2>/dev/null || true
	done
}

stop_one() { # NAME
	local name=$1 pidfile=$run/$1.pid pid cmd
	pid=$(read_pid "$pidfile")
	[ -n "$pid" ] || return 0
	if pid_alive "$pid"; then
		cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
		if [[ $cmd != *fanout-$name* ]]; then
			warn "pid $pid in .run/$name.pid is not fanout-$name any more ($cmd); leaving it alone"
			rm -f "$pidfile"
			return 0
		fi
		log "stopping $name (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
		if ! wait_gone "$pid" "$timeout"; then
			warn "$name (pid $pid) still running after ${timeout}s; SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			wait_gone "$pid" 5 || warn "$name (pid $pid) survived SIGKILL"
		fi
	fi
	# leftovers of its session (e.g. Chromium processes of the worker)
	if [ -n "$(session_pids "$pid")" ]; then
		log "stopping leftover processes of $name's session: $(session_pids "$pid" | tr '\n' ' ')"
		kill_session "$pid" TERM
		local i
		for ((i = 0; i < 25; i++)); do
			[ -z "$(session_pids "$pid")" ] && break
			sleep 0.2
		done
		kill_session "$pid" KILL
	fi
	rm -f "$pidfile"
}

for name in worker api fakesites; do
	stop_one "$name"
done

if [ -z "$keep_services" ] && [ -d "$run/services" ]; then
	"$root/deploy/services.sh" stop "$run/services"
fi
rm -f "$run/env"
log "down"
