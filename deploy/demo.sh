#!/usr/bin/env bash
# Runs the end-to-end demo (`make demo`): deploy/up.sh, then bin/fanout-demo
# with .run/env loaded (FANOUT_URL, FANOUT_TOKEN, FAKE_DOUYIN_URL, ...), then
# deploy/down.sh, always (EXIT trap), so nothing is left running. A stack
# already started with `make up` is restarted by up.sh and stopped at the end.
# Exits with the demo's status (0 iff every scenario step succeeded).
#
# Knobs: DEMO_TIMEOUT (seconds, default 900) bounds the demo binary.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1
# shellcheck source=deploy/lib.sh
. deploy/lib.sh

status=1
finish() {
	trap - EXIT INT TERM
	section "down"
	"$root/deploy/down.sh" || warn "deploy/down.sh failed"
	exit "$status"
}
trap finish EXIT
trap 'status=130; exit 130' INT
trap 'status=143; exit 143' TERM

"$root/deploy/up.sh" || { status=$?; die "deploy/up.sh failed (exit $status)"; }

set -a
# shellcheck source=/dev/null
. .run/env
set +a

section "demo"
timeout --foreground "${DEMO_TIMEOUT:-900}" bin/fanout-demo
status=$?
if [ "$status" = 0 ]; then
	log "demo passed"
else
	[ "$status" = 124 ] && warn "bin/fanout-demo timed out after ${DEMO_TIMEOUT:-900}s"
	for n in api worker fakesites; do
		printf '\n---- last 30 lines of .run/%s.log ----\n' "$n" >&2
		tail -n 30 ".run/$n.log" >&2 2>/dev/null || true
	done
	warn "demo failed (exit $status)"
fi
